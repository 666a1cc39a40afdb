"""The world a fault case runs in: moto's tables and bus, the services' own handlers imported in
this process (with their clients, timeouts and retries), and what changed in it afterwards."""

import contextlib
import json
import sys
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scripts.faults.injector import FunctionDied
from scripts.in_process import LambdaContext, environment, import_handler
from scripts.localcloud import system

for _package in ("common", "product", "basket", "order"):  # as pyproject's pytest pythonpath
    if str(system.ROOT / "services" / _package) not in sys.path:
        sys.path.append(str(system.ROOT / "services" / _package))

USER = "swn"
PRODUCT = {"name": "Phone", "category": "phones", "price": 10}
LINE = {"productId": "p1", "price": 10, "quantity": 2}  # p1 is in the catalogue replica at 10
CHECKOUT = {
    "userName": USER,
    "firstName": "Mehmet",
    "lastName": "Ozkaya",
    "email": "m@example.com",
    "address": "Istanbul",
    "paymentMethod": "card",
}
ENVIRONMENT = {
    "AWS_DEFAULT_REGION": system.REGION,
    "AWS_REGION": system.REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "POWERTOOLS_METRICS_NAMESPACE": "shop-faults",
    "POWERTOOLS_SERVICE_NAME": "faults",
}
# Every call is an administrator's, as the Cognito authorizer passes it: allowed on every route.
ADMIN_CLAIMS = {"cognito:username": "faults-admin", "cognito:groups": system.ADMIN_GROUP}


@dataclass(frozen=True)
class Answer:
    status: str  # an HTTP status; "died" (the function stopped); the consumer's "ok" or "retry"
    retry_after: str | None = None
    body: Any = None
    etag: str | None = None


_HANDLERS: dict[str, types.ModuleType] = {}


def handlers() -> dict[str, types.ModuleType]:
    """The services' entry points, imported once, each with its function's environment; they log
    only what is CRITICAL: hundreds of expected failures are noise here."""
    if not _HANDLERS:
        functions = {
            "product": system.PRODUCT.functions[0],
            "basket": system.BASKET.functions[0],
            "order": system.ORDER.functions[0],
            "consumer": system.ORDER.functions[1],
            "publisher": system.PRODUCT.functions[1],
            "replica": system.BASKET.functions[1],
        }
        for key, function in functions.items():
            _HANDLERS[key] = import_handler(function, POWERTOOLS_LOG_LEVEL="CRITICAL")
    return _HANDLERS


def api(
    service: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> Answer:
    from scripts.localcloud.gateway.proxy import proxy_event

    header_list = [("Content-Type", "application/json"), *(headers or {}).items()]
    data = json.dumps(body).encode() if body is not None else None
    path, _, query = path.partition("?")
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")] if query else []
    event = proxy_event(
        method, path, resource=path, headers=header_list, query=pairs, body=data, claims=ADMIN_CLAIMS
    )
    try:
        response = handlers()[service].lambda_handler(event, LambdaContext("faults"))
    except FunctionDied:
        return Answer("died")  # API Gateway answers 502/504; nothing after the fault ran
    found = {k.lower(): ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()}
    found.update({k.lower(): v for k, v in (response.get("headers") or {}).items()})
    text = response.get("body") or ""
    return Answer(
        str(response["statusCode"]),
        found.get("retry-after"),
        json.loads(text) if text else None,
        found.get("etag"),
    )


def checkout_event(user: str = USER) -> dict[str, Any]:
    schema = json.loads((system.ROOT / "contracts/events/CheckoutBasket.json").read_text())
    event = schema["examples"][0]
    event["detail"].update(checkoutId=str(uuid.uuid4()), userName=user)
    return event


def consume(event: dict[str, Any]) -> Answer:
    """The order consumer's answer to one record: "ok", or "retry" (a batch item failure)."""
    from scripts.localcloud.event_sources.sqs import sqs_record

    message = {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": json.dumps(event),
        "MD5OfBody": "0" * 32,
        "Attributes": {"ApproximateReceiveCount": "1"},
    }
    records = [sqs_record(message, f"arn:aws:sqs:{system.REGION}:{system.ACCOUNT}:{system.ORDER_QUEUE}")]
    response = handlers()["consumer"].lambda_handler({"Records": records}, LambdaContext("faults"))
    return Answer("retry" if response["batchItemFailures"] else "ok")


_CLIENTS: dict[str, Any] = {}


def _client(service: str) -> Any:
    """The script's own clients (to set up and read the tables), made once: moto answers them too."""
    if service not in _CLIENTS:
        import boto3

        _CLIENTS[service] = boto3.client(service, region_name=system.REGION)
    return _CLIENTS[service]


class World:
    """Moto's tables and bus, with one product, one basket and one order made through the API."""

    def __init__(self) -> None:
        from scripts.faults.bus_events import BusEvents
        from scripts.localcloud.aws.resources import table_request

        self.dynamodb, events, self.sqs = _client("dynamodb"), _client("events"), _client("sqs")
        for service in (system.PRODUCT, system.BASKET, system.ORDER):
            for table in service.tables:
                self.dynamodb.create_table(**table_request(table))
        self.dynamodb.put_item(  # what the product events would have put in the basket's replica
            TableName=system.CATALOGUE_TABLE,
            Item={
                "productId": {"S": "p1"},
                "name": {"S": "Phone"},
                "price": {"N": "10"},
                "version": {"N": "1"},
            },
        )
        self._bus = BusEvents("shop.basket", "shop.product", events=events, sqs=self.sqs)
        product = api("product", "POST", "/product", PRODUCT)
        self.product_id, self.product_etag = product.body["id"], product.etag
        self.basket_etag = api("basket", "POST", "/basket", {"userName": USER, "items": [LINE]}).etag
        order = checkout_event()
        consume(order)
        self.order_id = order["detail"]["checkoutId"]

    def events(self) -> list[dict]:
        """Every event published on the bus since the world was made."""
        return self._bus.all()

    def snapshot(self) -> dict[str, Any]:
        tables = {}
        for service in (system.PRODUCT, system.BASKET, system.ORDER):
            table = service.tables[0]
            items = self.dynamodb.scan(TableName=table.name)["Items"]
            keys = [table.hash_key, *filter(None, [table.range_key])]
            tables[service.name] = {tuple(json.dumps(i[k]) for k in keys): i for i in items}
        return {"tables": tables, "events": self.events()}


@contextlib.contextmanager
def fresh_world() -> Iterator[World]:
    """A World on a fresh moto, with the functions' environment."""
    from moto import mock_aws

    from scripts.localcloud.aws.fidelity import complete_event_envelopes

    complete_event_envelopes()
    with environment(ENVIRONMENT), mock_aws():
        handlers()
        yield World()


def describe(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What a case changed: "unchanged", or e.g. "product v2", "basket locked", "order +1"."""
    changes = []
    for name, items in after["tables"].items():
        old = before["tables"][name]
        if added := len(items.keys() - old.keys()):
            changes.append(f"{name} +{added}")
        if removed := len(old.keys() - items.keys()):
            changes.append(f"{name} -{removed}")
        for key in sorted(items.keys() & old.keys()):
            if items[key] != old[key]:
                changes.append(f"{name} {_change(name, old[key], items[key])}")
    published = after["events"][len(before["events"]) :]
    events = [e for e in published if e["source"] == "shop.basket"]
    if len(published) > len(events):
        changes.append(f"{len(published) - len(events)} product events")
    if events:
        checkouts = {e["detail"]["checkoutId"] for e in events}
        contents = {json.dumps(e["detail"], sort_keys=True) for e in events}
        changes.append(
            f"{len(events)} event{'s' * (len(events) > 1)} ({len(checkouts)} checkout"
            + (f", {len(contents)} different" if len(contents) > 1 else "")
            + ")"
        )
    return ", ".join(changes) or "unchanged"


def _change(table: str, old: dict, new: dict) -> str:
    if table == "product":
        return f"v{new['version']['N']}"
    if table == "basket":
        if "pendingCheckout" in new:
            return "locked"
        if new.get("checkoutId") != old.get("checkoutId"):
            return "unlocked, checkoutId kept"
        if "pendingCheckout" in old:
            return "unlocked"
        return "replaced"
    return "changed"
