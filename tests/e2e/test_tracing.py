"""X-Ray on the local cloud: one checkout, traced from the API to the order, with no personal data."""

import uuid

from scripts import traces
from tests.e2e.conftest import eventually, new_user


def checkout(http, user: str, details: dict, product_id: str) -> str:
    line = {"productId": product_id, "quantity": 3}
    assert http.post("/basket", json={"userName": user, "items": [line]}).status_code == 200
    response = http.post("/basket/checkout", json={"userName": user, **details})
    assert response.status_code == 202
    return response.json()["checkoutId"]


def names(trace: traces.Trace) -> list[str]:
    return [node.name for node in trace.nodes()]


def test_a_checkout_is_traced_from_the_api_to_the_order(cloud, sign_in, phone):
    marker = uuid.uuid4().hex[:10]
    details = {
        "firstName": f"Zelda{marker}",
        "lastName": f"Quill{marker}",
        "email": f"z.{marker}@example.com",
        "address": f"{marker} Hidden Lane",
        "paymentMethod": "card",
    }
    user = f"tracer-{marker}"
    checkout_id = checkout(sign_in(user), user, details, phone["id"])
    store = cloud.state / "traces.jsonl"

    def traced():
        """Both traces, whole: segments arrive over UDP, and Lambda's own segment comes last."""
        found = traces.select(traces.load(store), checkout_id, None, 0)
        whole = found and len(found[0].roots) == 1 and found[0].linked and len(found[0].linked[0].roots) == 1
        # Until the gateway's segment arrives, the function's stands alone as a root.
        arrived = whole and found[0].roots[0].name.endswith("/local")
        return found if arrived and found[0].linked[0].roots[0].name.endswith("-order-consumer") else None

    (trace,) = eventually(traced)
    assert trace.roots[0].name.endswith("-basket/local") and trace.roots[0].status == "202"
    function = trace.roots[0].children[0]
    assert function.name.endswith("-basket") and function.parent_id == trace.roots[0].id
    operations = [n.detail.split()[0] for n in function.walk() if n.name in ("dynamodb", "events")]
    assert operations == ["GetItem", "BatchGetItem", "UpdateItem", "PutEvents", "DeleteItem"]
    handler = next(n for n in function.walk() if n.name == "## lambda_handler")
    assert handler.annotations["checkoutId"] == checkout_id and "ColdStart" in handler.annotations

    (order,) = trace.linked
    assert order.roots[0].name.endswith("-order-consumer")
    record = next(n for n in order.nodes() if n.name == "## order.consumer.record_handler")
    assert record.annotations == {
        "checkoutId": checkout_id,
        "orderId": checkout_id,
        "checkoutTraceId": trace.id,
    }
    assert any(n.name == "dynamodb" and n.detail.startswith("PutItem") for n in record.walk())

    everything = store.read_text()
    for value in details.values():
        if value != "card":
            assert value not in everything, "personal data in a trace"


def test_logs_of_a_request_carry_its_trace_id_and_correlation_id(cloud, admin):
    response = admin.post("/product", json={"name": "logged", "category": "logs", "price": 1})
    request_id = response.headers["x-amzn-RequestId"]
    trace_id = response.headers["X-Amzn-Trace-Id"].split(";")[0].removeprefix("Root=")
    function = "shop-local-product"

    def lines():
        return [line for line in cloud.log_lines(function) if line.get("correlation_id") == request_id]

    for line in eventually(lines):
        assert line["xray_trace_id"] == trace_id
        assert line["function_request_id"] and line["service"] == "product"


def test_the_order_logs_carry_the_checkout_id_as_correlation_id(cloud, sign_in, phone):
    user = new_user("logs")
    checkout_id = checkout(
        sign_in(user),
        user,
        {
            "firstName": "A",
            "lastName": "B",
            "email": "a@example.com",
            "address": "C",
            "paymentMethod": "card",
        },
        phone["id"],
    )

    def created():
        return [
            line
            for line in cloud.log_lines("shop-local-order-consumer")
            if line.get("correlation_id") == checkout_id and line.get("message") == "Order created"
        ]

    (line,) = eventually(created)
    assert line["xray_trace_id"].startswith("1-") and line["function_request_id"]
