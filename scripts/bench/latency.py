"""Cold starts (init, first invocation) and warm requests, on the local cloud.

A cold start is what a Lambda user waits for after a deploy or a scale-out: the init duration
(process start to its first request for an event, as Lambda reports Init Duration), then the
first invocation's duration (as Lambda reports Duration: from the event handed over to the
answer). Both are read from the local cloud's Lambda runtime, so API Gateway's emulation and
the authorizer stay out of them; the first request's end-to-end latency is kept beside.
"""

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import requests

from scripts.bench.awscalls import sqs_batch
from scripts.bench.routes import ADMIN, BASELINE, CONSUMER, ROUTES, USERS, Fixtures, Request, Route
from scripts.localcloud import system
from scripts.localcloud.cloud import LocalCloud
from scripts.localcloud.xray.header import TraceHeader, new_trace_id
from scripts.token import id_token

CONSUMER_ROUTE = "consumer: a batch of 1 record"


class BenchCloud(LocalCloud):
    """The local cloud, keeping the duration of every invocation (Lambda's Duration)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.durations: dict[str, list[float]] = defaultdict(list)

    def invoke(self, function: str, payload: bytes, trace_header: str | None = None) -> tuple[bytes, bool]:
        result = self.pools[function].invoke(payload, trace_header)
        self.durations[function].append(result.duration_ms)
        return result.payload, result.error


class HttpApi:
    """The local cloud's APIs, called with the ID token of each benchmark user."""

    def __init__(self, base_url: str, aws_endpoint: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.tokens = {
            caller: id_token(aws_endpoint, user, caller == ADMIN) for caller, user in USERS.items()
        }

    def request(
        self, method: str, path: str, body: Any, query: dict[str, str] | None, caller: str
    ) -> tuple[int, Any]:
        headers = {"Authorization": self.tokens[caller]} if caller in self.tokens else {}
        response = self.session.request(
            method, self.base_url + path, json=body, params=query, headers=headers, timeout=60
        )
        return response.status_code, response.json() if response.content else None


def timed_ms(fixtures: Fixtures, route: Route, request: Request) -> float:
    started = time.perf_counter()
    fixtures.call(request, route.status)
    return (time.perf_counter() - started) * 1000


@dataclass(frozen=True)
class ColdStart:
    """One new execution environment and its first invocation (ms)."""

    init: float
    first: float  # the first invocation's duration
    first_http: float | None = None  # the first request end to end, for a route behind the API

    @property
    def init_and_first(self) -> float:
        return self.init + self.first


@dataclass
class ColdStarts:
    """By route (the consumer's batch counts as one): each cold start beside the baseline's,
    measured just before it, so that both see the same moment of the machine."""

    function: dict[str, str] = field(default_factory=dict)  # of each route
    pairs: dict[str, list[tuple[ColdStart, ColdStart]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, route: str, function: str, found: ColdStart, baseline: ColdStart) -> None:
        self.function[route] = function
        self.pairs[route].append((found, baseline))


def wait_until_queue_idle(cloud: BenchCloud, queue: str, timeout: float = 30) -> None:
    """The consumer's new environment must get the benchmark's batch first, not a checkout's."""
    sqs = cloud.aws.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if all(attributes[name] == "0" for name in names):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{queue} still has messages after {timeout} s")


def api_cold_start(cloud: BenchCloud, fixtures: Fixtures, route: Route) -> ColdStart:
    request = route.prepare(fixtures)  # before the new environment: setup is not timed
    init = cloud.recycle(route.function) * 1000
    before = len(cloud.durations[route.function])
    first_http = timed_ms(fixtures, route, request)
    return ColdStart(init, cloud.durations[route.function][before], first_http)


def consumer_cold_start(cloud: BenchCloud) -> ColdStart:
    """A new environment of the order consumer, and a batch of one new record."""
    wait_until_queue_idle(cloud, system.ORDER_QUEUE)
    init = cloud.recycle(CONSUMER) * 1000
    batch = json.dumps(sqs_batch(1)).encode()
    result = cloud.pools[CONSUMER].invoke(batch, str(TraceHeader(new_trace_id())))  # as the ESM does
    if result.error or json.loads(result.payload)["batchItemFailures"]:
        raise RuntimeError(f"the consumer failed the benchmark's batch: {result.payload!r}")
    return ColdStart(init, result.duration_ms)


def cold_starts(cloud: BenchCloud, fixtures: Fixtures, rounds: int) -> ColdStarts:
    """Each round gives every route, then the order consumer, a new execution environment and
    times its init and its first invocation, each right after a cold start of the baseline.
    Rounds are the outer loop: every route sees the machine of every moment."""
    found = ColdStarts()
    baseline_route = next(r for r in ROUTES if r.function == BASELINE)
    for _ in range(rounds):
        for route in ROUTES:
            if route is baseline_route:
                continue
            baseline = api_cold_start(cloud, fixtures, baseline_route)
            found.add(route.name, route.function, api_cold_start(cloud, fixtures, route), baseline)
        baseline = api_cold_start(cloud, fixtures, baseline_route)
        found.add(CONSUMER_ROUTE, CONSUMER, consumer_cold_start(cloud), baseline)
    return found


def warm_requests(fixtures: Fixtures, count: int) -> dict[str, list[float]]:
    """`count` requests per route, one at a time, interleaved across routes."""
    latencies: dict[str, list[float]] = defaultdict(list)
    for _ in range(count):
        for route in ROUTES:
            latencies[route.name].append(timed_ms(fixtures, route, route.prepare(fixtures)))
    return latencies


def checkout_to_order(fixtures: Fixtures, count: int) -> list[float]:
    """From the checkout's 202 to the order visible on GET /order/{userName} (ms)."""
    latencies = []
    for _ in range(count):
        order_id = fixtures.check_out()
        accepted = time.perf_counter()
        while not fixtures.has_order(order_id):
            time.sleep(0.002)
        latencies.append((time.perf_counter() - accepted) * 1000)
    return latencies
