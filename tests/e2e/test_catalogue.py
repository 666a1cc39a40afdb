"""Catalogue prices, carried by events, over HTTP on the local cloud: a product written through the
product API reaches the basket's catalogue replica through the table's stream, the publisher,
the bus and the catalogue queue, and baskets and checkouts are priced from it, never by the
client. The replica is eventually consistent: tests wait for it, with a bound."""

import copy
import json
import uuid

import pytest

from scripts import replay_catalogue, traces
from scripts.bench import replica_lag
from scripts.localcloud import system
from tests.e2e.conftest import ends_in_dlq, eventually, new_user
from tests.helpers import event_schema

DETAILS = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "address": "London",
    "paymentMethod": "card",
}
CATALOGUE_QUEUE, CATALOGUE_DLQ, _ = (q.name for q in system.BASKET.queues)


@pytest.fixture
def user():
    return new_user("catalogue")


@pytest.fixture
def shopper(sign_in, user):
    return sign_in(user)


def save(http, user, *lines):
    return http.post("/basket", json={"userName": user, "items": list(lines)})


def test_a_product_an_admin_creates_becomes_priceable_in_a_basket(admin, shopper, user):
    response = admin.post("/product", json={"name": "Kettle", "category": "e2e", "price": 24.99})
    assert response.status_code == 201
    product_id = response.json()["id"]

    def priced():
        """POST /basket prices the new product (the replica has it)"""
        answer = save(shopper, user, {"productId": product_id, "quantity": 2})
        assert answer.status_code in (200, 400), answer.text  # 400: not in the replica yet
        return answer.json() if answer.status_code == 200 else None

    basket = eventually(priced, interval=0.1)
    assert basket["items"] == [
        {"productId": product_id, "productName": "Kettle", "price": 24.99, "quantity": 2, "color": None}
    ]
    assert basket["totalPrice"] == 49.98


def test_a_forged_price_is_409_naming_the_line_and_the_price_and_nothing_is_saved(shopper, user, phone):
    response = save(shopper, user, {"productId": phone["id"], "quantity": 2, "price": 0.01})
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "items[0].price", "message": f"product {phone['id']} costs 10.00, not 0.01"}
    ]
    assert shopper.get(f"/basket/{user}").status_code == 404
    assert save(shopper, user, {"productId": phone["id"], "quantity": 2, "price": 10}).status_code == 200


def test_an_unknown_product_is_400_naming_the_line(shopper, user, phone):
    response = save(
        shopper,
        user,
        {"productId": phone["id"], "quantity": 1},
        {"productId": "does-not-exist", "quantity": 1, "price": 0},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "items[1].productId", "message": "product does-not-exist is not in the catalogue"}
    ]
    assert shopper.get(f"/basket/{user}").status_code == 404


def orders_of(http, user):
    return http.get(f"/order/{user}").json()["items"]


def test_a_price_raised_after_the_basket_was_saved_is_409_then_the_retry_charges_it(catalogue, shopper, user):
    product = catalogue.product("Lamp", 40)
    assert save(shopper, user, {"productId": product["id"], "quantity": 2}).status_code == 200
    catalogue.update(product["id"], price=45.5)

    refused = shopper.post("/basket/checkout", json=DETAILS)
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {"field": "items[0].price", "message": f"product {product['id']} costs 45.50 now, not 40.00"}
    ]
    assert shopper.get(f"/basket/{user}").json()["totalPrice"] == 91.0  # what the customer now sees

    accepted = shopper.post("/basket/checkout", json=DETAILS)
    assert accepted.status_code == 202 and accepted.json()["totalPrice"] == 91.0
    (order,) = eventually(lambda: orders_of(shopper, user))
    assert order["totalPrice"] == 91.0 and order["items"][0]["price"] == 45.5


def test_a_deleted_product_cannot_be_ordered(catalogue, shopper, user, phone):
    product = catalogue.product("Vase", 15)
    lines = [{"productId": phone["id"], "quantity": 1}, {"productId": product["id"], "quantity": 1}]
    assert save(shopper, user, *lines).status_code == 200
    catalogue.delete(product["id"])

    refused = shopper.post("/basket/checkout", json=DETAILS)
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {"field": "items[1]", "message": f"product {product['id']} is no longer sold; the line was removed"}
    ]
    assert [i["productId"] for i in shopper.get(f"/basket/{user}").json()["items"]] == [phone["id"]]
    again = save(shopper, user, *lines)
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "items[1].productId"

    assert shopper.post("/basket/checkout", json=DETAILS).status_code == 202
    (order,) = eventually(lambda: orders_of(shopper, user))
    assert [i["productId"] for i in order["items"]] == [phone["id"]]


def product_event(kind: str, **detail) -> dict:
    """The contract's example with `detail`; None leaves a field out, as the publisher does (the
    API answers an absent imageFile as null, which the contract, and so the consumer, refuses)."""
    event = copy.deepcopy(event_schema(kind)["examples"][0])
    event["detail"].update(detail)
    event["detail"] = {k: v for k, v in event["detail"].items() if v is not None}
    return event


def send(cloud, *bodies) -> None:
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=CATALOGUE_QUEUE)["QueueUrl"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body))


def ignored(cloud, product_id: str, count: int):
    """Waits until the replica's consumer has ignored `count` events of the product."""

    def seen():
        """the consumer logged the stale events"""
        lines = cloud.log_lines(system.name("basket", "catalogue-consumer"))
        found = [
            line
            for line in lines
            if line.get("message") == "Stale or repeated product event ignored"
            and line.get("productId") == product_id
        ]
        return len(found) >= count

    eventually(seen, interval=0.1)


def test_stale_and_repeated_product_events_change_nothing(cloud, catalogue, shopper, user):
    product = catalogue.product("Clock", 30)
    catalogue.update(product["id"], price=35)  # version 2
    stale = product_event("ProductChanged", **{**product, "price": 0.01, "version": 1})
    repeated = product_event("ProductChanged", **{**product, "price": 0.02, "version": 2})
    send(cloud, stale, repeated)
    ignored(cloud, product["id"], 2)
    basket = save(shopper, user, {"productId": product["id"], "quantity": 1}).json()
    assert basket["totalPrice"] == 35.0

    catalogue.delete(product["id"])
    late = product_event("ProductChanged", **{**product, "version": 3})
    send(cloud, late)
    ignored(cloud, product["id"], 3)
    assert save(shopper, user, {"productId": product["id"], "quantity": 1}).status_code == 400


def test_a_poison_product_event_ends_in_the_dlq_and_the_others_apply(cloud, catalogue, shopper, user):
    product = catalogue.product("Mug", 5)
    poison = f"poison {uuid.uuid4()}"
    send(cloud, poison, product_event("ProductChanged", **{**product, "price": 6, "version": 2}))
    catalogue.replicated(product["id"], 2)
    ends_in_dlq(cloud, CATALOGUE_DLQ, poison)
    assert save(shopper, user, {"productId": product["id"], "quantity": 1}).json()["totalPrice"] == 6.0


def test_a_lost_replica_is_rebuilt_by_replaying_the_catalogue(cloud, catalogue, shopper, user, capsys):
    product = catalogue.product("Rug", 120)
    catalogue.update(product["id"], price=110)  # version 2
    cloud.client("dynamodb").delete_item(
        TableName=system.CATALOGUE_TABLE, Key={"productId": {"S": product["id"]}}
    )  # the replica lost it
    assert save(shopper, user, {"productId": product["id"], "quantity": 1}).status_code == 400

    assert replay_catalogue.main(["--state-dir", str(cloud.state)]) == 0
    assert "republished" in capsys.readouterr().out
    catalogue.replicated(product["id"], 2)  # at the version it had: no ETag changed
    assert save(shopper, user, {"productId": product["id"], "quantity": 1}).json()["totalPrice"] == 110.0


def test_make_traces_follows_a_product_write_to_the_replica(cloud, catalogue):
    product = catalogue.product("Traced", 1)
    store = cloud.state / "traces.jsonl"

    def traced():
        """the write's trace, with the publication and the replica update under it"""
        found = traces.select(traces.load(store), None, None, 0, product_id=product["id"])
        write = [t for t in found if t.roots[0].name.endswith("-product/local")]
        linked = write and write[0].linked and write[0].linked[0].linked
        return write[0] if linked else None

    write = eventually(traced, interval=0.2)
    (publication,) = write.linked
    assert publication.via == traces.VIA_STREAM
    # A batch may hold other tests' products too: this product's own steps, by their annotation.
    (step,) = [
        n
        for n in publication.nodes()
        if n.name == traces.PUBLISHER_STEP and n.annotations.get("productId") == product["id"]
    ]
    assert step.annotations == {"productId": product["id"], "version": 1}
    (update,) = publication.linked
    (record,) = [
        n
        for n in update.nodes()
        if n.name == "## basket.replica_consumer.record_handler"
        and n.annotations.get("productId") == product["id"]
    ]
    assert record.annotations == {"productId": product["id"], "version": 1, "productTraceId": publication.id}
    text = "\n".join(traces.render(write))
    assert "PutEvents" in text and "PutItem  shop-local-basket-catalogue" in text


def test_replica_updates_and_stale_events_are_counted(cloud, catalogue):
    product = catalogue.product("Counted", 2)
    send(cloud, product_event("ProductChanged", **{**product, "version": 1}))
    ignored(cloud, product["id"], 1)

    def metric(name: str) -> bool:
        return any(
            name in line and line.get("service") == "basket"
            for line in cloud.log_lines(system.name("basket", "catalogue-consumer"))
            if "_aws" in line
        )

    assert eventually(lambda: metric("CatalogueReplicaUpdates") and metric("StaleProductEventsIgnored"))


def test_the_lag_script_measures_writes_reaching_the_replica(cloud):
    """`make replica-lag` runs (its figures are printed by it, not asserted here)."""
    figures = replica_lag.measure(cloud.api, cloud.aws, writes=3, products=1)
    assert figures["writes"] == 3 and 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
