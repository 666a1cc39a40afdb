"""`make faults`: every route of every service under injected AWS faults, printed as a matrix.

Each case runs one route in process, on moto, with the services' own handlers and clients (so
with their timeouts and retry settings), and one fault injected where moto answers, as if AWS
had answered, or not, that way:
- an error answer (throttling, a server error, access denied) comes back as AWS sends it, so
  botocore's standard retry mode treats it as it would in AWS;
- a timeout or a lost connection is raised where the HTTP call would be made;
- a lost answer: the request is carried out, then its answer is lost (a read timeout), once per
  call; the SDK retries it, which must neither fail the route nor apply the write twice.
Every attempt of every call to the faulty service meets the fault (the dependency is down),
except for the lost answer. Backoff delays are recorded, not slept.

A case records what the client gets (the status, and Retry-After), how many attempts the SDK
made, and what the tables and the bus hold afterwards compared to before.
tests/faults/test_fault_matrix.py runs this same table and asserts each outcome.
"""

import contextlib
import io
import json
import os
import sys
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from moto import mock_aws  # first: moto answers only the clients made after it is imported

from scripts.in_process import LambdaContext, environment, import_handler
from scripts.localcloud import system

for _package in ("common", "product", "basket", "order"):  # as pyproject's pytest pythonpath
    if str(system.ROOT / "services" / _package) not in sys.path:
        sys.path.append(str(system.ROOT / "services" / _package))

USER = "swn"
PRODUCT = {"name": "Phone", "category": "phones", "price": 10}
LINE = {"productId": "p1", "productName": "Phone", "price": 10, "quantity": 2}
CHECKOUT = {
    "userName": USER,
    "firstName": "Mehmet",
    "lastName": "Ozkaya",
    "email": "m@example.com",
    "address": "Istanbul",
    "paymentMethod": "card",
}
_ENVIRONMENT = {
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
class Fault:
    name: str
    service: str  # the AWS service it hits: dynamodb or events
    summary: str
    answer: tuple[int, str] | None = None  # an AWS error answer: (HTTP status, error code)
    raises: str | None = None  # no answer: this botocore exception, where the HTTP call is made
    lost_answer: bool = False  # carried out, then the answer is lost (once per call)
    failed_entry: bool = False  # PutEvents answers 200 with FailedEntryCount 1
    retried: bool = True  # botocore's standard mode retries it


NO_FAULT = Fault("none", "", "no fault")
DYNAMODB_FAULTS = (
    Fault("throttled", "dynamodb", "400 ThrottlingException", answer=(400, "ThrottlingException")),
    Fault(
        "capacity",
        "dynamodb",
        "400 ProvisionedThroughputExceededException",
        answer=(400, "ProvisionedThroughputExceededException"),
    ),
    Fault("5xx", "dynamodb", "500 InternalServerError", answer=(500, "InternalServerError")),
    Fault(
        "read-timeout", "dynamodb", "ReadTimeoutError (no answer in read_timeout)", raises="ReadTimeoutError"
    ),
    Fault("connect-timeout", "dynamodb", "ConnectTimeoutError", raises="ConnectTimeoutError"),
    Fault("no-route", "dynamodb", "EndpointConnectionError", raises="EndpointConnectionError"),
    Fault(
        "denied",
        "dynamodb",
        "400 AccessDeniedException (not retryable)",
        answer=(400, "AccessDeniedException"),
        retried=False,
    ),
    Fault("lost-answer", "dynamodb", "applied, then its answer lost (ReadTimeoutError)", lost_answer=True),
)
EVENTS_FAULTS = (
    Fault(
        "bus-throttled", "events", "PutEvents: 400 ThrottlingException", answer=(400, "ThrottlingException")
    ),
    Fault("bus-5xx", "events", "PutEvents: 500 InternalException", answer=(500, "InternalException")),
    Fault("bus-timeout", "events", "PutEvents: ReadTimeoutError", raises="ReadTimeoutError"),
    Fault(
        "bus-entry-failed",
        "events",
        "PutEvents: 200 with FailedEntryCount 1",
        failed_entry=True,
        retried=False,
    ),
    Fault(
        "bus-denied",
        "events",
        "PutEvents: 400 AccessDeniedException (not retryable)",
        answer=(400, "AccessDeniedException"),
        retried=False,
    ),
    Fault("bus-lost-answer", "events", "PutEvents: published, then its answer lost", lost_answer=True),
)


@dataclass
class Injector:
    """Stands between botocore and moto: each request to `fault.service` meets the fault."""

    fault: Fault
    attempts: int = 0  # requests to the faulty service, retries included
    calls: int = 0  # of which first attempts
    backoff: list[float] = field(default_factory=list)

    def handle(self, real: Callable[[Any], Any], request: Any) -> Any:
        service = request.url.split("://", 1)[-1].split(".", 1)[0]
        if service != self.fault.service:
            return real(request)
        self.attempts += 1
        progress = request.headers.get("amz-sdk-request", b"attempt=1")  # "attempt=2; max=2"
        progress = progress.decode() if isinstance(progress, bytes) else progress
        first = progress.replace(" ", "").split(";")[0] == "attempt=1"
        self.calls += first
        fault = self.fault
        if fault.answer is not None:
            status, code = fault.answer
            body = {"__type": code, "message": f"injected {code}"}
            return (
                status,
                {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"},
                json.dumps(body),
            )
        if fault.raises is not None:
            import botocore.exceptions

            raise getattr(botocore.exceptions, fault.raises)(endpoint_url=request.url)
        if fault.failed_entry:
            body = {
                "FailedEntryCount": 1,
                "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "injected failure"}],
            }
            return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(body)
        response = real(request)
        if fault.lost_answer and first:
            from botocore.exceptions import ReadTimeoutError

            raise ReadTimeoutError(endpoint_url=request.url)
        return response


@contextlib.contextmanager
def injected(fault: Fault) -> Iterator[Injector]:
    """Injects `fault` into every AWS call moto answers, and records backoffs instead of sleeping."""
    import botocore.endpoint
    from moto.core.models import botocore_stubber

    injector = Injector(fault)
    real = botocore_stubber.process_request
    real_time = botocore.endpoint.time
    botocore_stubber.process_request = lambda request: injector.handle(real, request)
    botocore.endpoint.time = types.SimpleNamespace(sleep=injector.backoff.append)
    try:
        yield injector
    finally:
        del botocore_stubber.process_request
        botocore.endpoint.time = real_time


@dataclass(frozen=True)
class Answer:
    status: str  # an HTTP status, or for the consumer "ok" / "retry" (a batch item failure)
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
    resource = path.split("?")[0]
    path, _, query = path.partition("?")
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")] if query else []
    event = proxy_event(
        method, path, resource=resource, headers=header_list, query=pairs, body=data, claims=ADMIN_CLAIMS
    )
    response = handlers()[service].lambda_handler(event, LambdaContext("faults"))
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
        from scripts.localcloud.aws.resources import table_request

        self.dynamodb, events, self.sqs = _client("dynamodb"), _client("events"), _client("sqs")
        for service in (system.PRODUCT, system.BASKET, system.ORDER):
            self.dynamodb.create_table(**table_request(service.tables[0]))
        events.create_event_bus(Name=system.BUS)
        self.queue = self.sqs.create_queue(QueueName="published")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])["Attributes"]
        events.put_rule(
            Name="all", EventBusName=system.BUS, EventPattern=json.dumps({"source": ["shop.basket"]})
        )
        events.put_targets(Rule="all", EventBusName=system.BUS, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])
        self.published: list[dict] = []
        product = api("product", "POST", "/product", PRODUCT)
        self.product_id, self.product_etag = product.body["id"], product.etag
        self.basket_etag = api("basket", "POST", "/basket", {"userName": USER, "items": [LINE]}).etag
        consume(checkout_event())

    def events(self) -> list[dict]:
        while messages := self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                self.published.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
        return list(self.published)

    def snapshot(self) -> dict[str, Any]:
        tables = {}
        for service in (system.PRODUCT, system.BASKET, system.ORDER):
            table = service.tables[0]
            items = self.dynamodb.scan(TableName=table.name)["Items"]
            keys = [table.hash_key, *filter(None, [table.range_key])]
            tables[service.name] = {tuple(json.dumps(i[k]) for k in keys): i for i in items}
        return {"tables": tables, "events": self.events()}


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
    events = after["events"][len(before["events"]) :]
    if events:
        checkouts = {e["detail"]["checkoutId"] for e in events}
        changes.append(f"{len(events)} event{'s' * (len(events) > 1)} ({len(checkouts)} checkout)")
    return ", ".join(changes) or "unchanged"


def _change(table: str, old: dict, new: dict) -> str:
    if table == "product":
        return f"v{new['version']['N']}"
    if table == "basket":
        if "pendingCheckout" in new:
            return "locked"
        if new.get("checkoutId") != old.get("checkoutId"):
            return "unlocked, checkoutId kept"
        return "replaced"
    return "changed"


@dataclass(frozen=True)
class Route:
    name: str
    services: tuple[str, ...]  # the AWS services it calls
    run: Callable[[World], Answer]


def _if_match(etag: str | None) -> dict[str, str]:
    return {"If-Match": etag or ""}


ROUTES = (
    Route("POST /product", ("dynamodb",), lambda w: api("product", "POST", "/product", PRODUCT)),
    Route("GET /product/{id}", ("dynamodb",), lambda w: api("product", "GET", f"/product/{w.product_id}")),
    Route("GET /product", ("dynamodb",), lambda w: api("product", "GET", "/product")),
    Route(
        "GET /product?category", ("dynamodb",), lambda w: api("product", "GET", "/product?category=phones")
    ),
    Route(
        "PUT /product/{id} If-Match",
        ("dynamodb",),
        lambda w: api("product", "PUT", f"/product/{w.product_id}", {"price": 11}, _if_match(w.product_etag)),
    ),
    Route(
        "DELETE /product/{id} If-Match",
        ("dynamodb",),
        lambda w: api("product", "DELETE", f"/product/{w.product_id}", headers=_if_match(w.product_etag)),
    ),
    Route("GET /basket/{userName}", ("dynamodb",), lambda w: api("basket", "GET", f"/basket/{USER}")),
    Route("GET /basket", ("dynamodb",), lambda w: api("basket", "GET", "/basket")),
    Route(
        "POST /basket If-Match",
        ("dynamodb",),
        lambda w: api("basket", "POST", "/basket", {"userName": USER, "items": []}, _if_match(w.basket_etag)),
    ),
    Route(
        "DELETE /basket/{userName} If-Match",
        ("dynamodb",),
        lambda w: api("basket", "DELETE", f"/basket/{USER}", headers=_if_match(w.basket_etag)),
    ),
    Route(
        "POST /basket/checkout",
        ("dynamodb", "events"),
        lambda w: api("basket", "POST", "/basket/checkout", CHECKOUT),
    ),
    Route("GET /order", ("dynamodb",), lambda w: api("order", "GET", "/order")),
    Route("GET /order/{userName}", ("dynamodb",), lambda w: api("order", "GET", f"/order/{USER}")),
    Route("order consumer (1 record)", ("dynamodb",), lambda w: consume(checkout_event("ana"))),
)
FAULTS = (NO_FAULT, *DYNAMODB_FAULTS, *EVENTS_FAULTS)


@dataclass(frozen=True)
class Outcome:
    route: str
    fault: str
    status: str
    retry_after: str | None
    attempts: int  # requests to the faulty service, retries included
    calls: int  # calls to the faulty service (first attempts)
    backoff: tuple[float, ...]
    state: str  # what changed: see describe()
    body: Any = None


def cases() -> list[tuple[Route, Fault]]:
    return [(r, f) for r in ROUTES for f in FAULTS if f is NO_FAULT or f.service in r.services]


def run_case(route: Route, fault: Fault) -> Outcome:
    """One route under one fault, on a fresh moto."""
    with environment(_ENVIRONMENT), mock_aws():
        handlers()
        world = World()
        before = world.snapshot()
        with injected(fault) as injector:
            answer = route.run(world)
        return Outcome(
            route.name,
            fault.name,
            answer.status,
            answer.retry_after,
            injector.attempts,
            injector.calls,
            tuple(injector.backoff),
            describe(before, world.snapshot()),
            answer.body,
        )


def matrix(outcomes: list[Outcome], faults: tuple[Fault, ...]) -> str:
    """A grid: one row per route, one column per fault; each cell "status state"."""
    names = [f.name for f in faults]
    cell = {(o.route, o.fault): f"{o.status} {'=' if o.state == 'unchanged' else o.state}" for o in outcomes}
    routes = [r for r in dict.fromkeys(o.route for o in outcomes) if any((r, f) in cell for f in names[1:])]
    rows = [["route", *names]] + [[r, *(cell.get((r, f), "") for f in names)] for r in routes]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No application metrics to publish")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")  # the handlers' logs are not the point here
    outcomes = []
    with contextlib.redirect_stdout(io.StringIO()):  # their metrics neither
        for route, fault in cases():
            outcomes.append(run_case(route, fault))
    print("Fault matrix: each route under one injected fault, in process on moto, with the services'")
    print("own handlers and SDK clients. Cell: the status the client gets (the consumer: ok, or retry =")
    print("reported as a batch item failure, so SQS delivers it again), then what the tables and the")
    print("bus hold afterwards compared to before (= unchanged).\n")
    print("DynamoDB faults, on every attempt of every call (lost-answer: the first attempt of each call):\n")
    print(matrix(outcomes, (NO_FAULT, *DYNAMODB_FAULTS)))
    print("\nEventBridge faults, on every attempt of PutEvents:\n")
    print(matrix(outcomes, (NO_FAULT, *EVENTS_FAULTS)))
    print("\nFaults:")
    for fault in FAULTS[1:]:
        print(f"  {fault.name:<17} {fault.summary}")
    failed = [o for o in outcomes if o.fault != "none" and o.status not in ("200", "201", "202", "204", "ok")]
    retry_after = sorted({o.retry_after or "none" for o in outcomes if o.status == "503"})
    attempts = sorted({o.attempts for o in failed if o.status in ("503", "retry")})
    print(
        f"\n{len(outcomes)} cases. Every 503 carries Retry-After: {', '.join(retry_after)}. A route that "
        f"fails makes {'/'.join(map(str, sorted({o.calls for o in failed})))} call to the faulty service, in "
        f"{' or '.join(map(str, attempts))} attempts (1 when the fault is not retryable or PutEvents "
        "answered; else the SDK's total_max_attempts)."
    )
    from shop_common import clients

    timeouts = ", ".join(f"{f.name} {f.timeout} s" for s in system.SERVICES for f in s.functions)
    print(
        f"One call at its slowest: {clients.ATTEMPTS} attempts x ({clients.CONNECT_TIMEOUT:g} s connect + "
        f"{clients.READ_TIMEOUT:g} s read) + backoff = {clients.worst_case_seconds():g} s. "
        f"Function timeouts: {timeouts}."
    )


if __name__ == "__main__":
    main()
