"""Cold starts (init, first invocation) and warm requests, on the local cloud.

A cold start is what a Lambda user waits for after a deploy or a scale-out: the init duration
(process start to its first request for an event, as Lambda reports Init Duration), then the
first invocation's duration (as Lambda reports Duration: from the event handed over to the
answer). Both are read from the local cloud's Lambda runtime, so API Gateway's emulation and
the authorizer stay out of them; the first request's end-to-end latency is kept beside.
"""

import contextlib
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from scripts.bench.batches import BATCH_ROUTES, BatchRoute, failed_records
from scripts.bench.routes import ADMIN, BASELINE, ROUTES, USERS, Fixtures, Request, Route
from scripts.localcloud.cloud import LocalCloud
from scripts.localcloud.functions.invocation import InvokeResult
from scripts.localcloud.xray.header import TraceHeader, new_trace_id
from scripts.token import id_token


class BenchCloud(LocalCloud):
    """The local cloud, keeping the duration of every invocation (Lambda's Duration), and able to
    keep a function to the benchmark alone (`alone`) while it times a cold start of it."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.durations: dict[str, list[float]] = defaultdict(list)
        self._gates = {f.name: threading.Lock() for s in self.services for f in s.functions}
        self._in_flight: Counter[str] = Counter()
        self._idle = threading.Condition()

    def invocation(self, function: str, payload: bytes, trace_header: str | None) -> InvokeResult | None:
        with self._gates[function], self._idle:  # the gate: closed while the benchmark has it alone
            self._in_flight[function] += 1
        try:
            result = super().invocation(function, payload, trace_header)
        finally:
            with self._idle:
                self._in_flight[function] -= 1
                self._idle.notify_all()
        if result is not None:
            self.durations[function].append(result.duration_ms)
        return result

    @contextlib.contextmanager
    def alone(self, function: str) -> Iterator[None]:
        """While held, nothing but the holder invokes `function` (through its pool): the event
        source mappings' invocations wait, and those under way finish first. So a new execution
        environment of an event-driven function gets the benchmark's batch first."""
        with self._gates[function]:
            with self._idle:
                self._idle.wait_for(lambda: self._in_flight[function] == 0)
            yield

    def invoke_alone(self, function: str, payload: bytes) -> InvokeResult:
        """One invocation with a new trace header, as an event source mapping makes it; call it
        inside `alone(function)`."""
        result = self.pools[function].invoke(payload, str(TraceHeader(new_trace_id())))
        self.durations[function].append(result.duration_ms)
        return result


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


def api_cold_start(cloud: BenchCloud, fixtures: Fixtures, route: Route) -> ColdStart:
    request = route.prepare(fixtures)  # before the new environment: setup is not timed
    init = cloud.recycle(route.function) * 1000
    before = len(cloud.durations[route.function])
    first_http = timed_ms(fixtures, route, request)
    return ColdStart(init, cloud.durations[route.function][before], first_http)


def batch_cold_start(cloud: BenchCloud, route: BatchRoute) -> ColdStart:
    """A new environment of an event-driven function, and a batch of one new record: its first
    invocation, whatever its event source mapping has to deliver meanwhile."""
    with cloud.alone(route.function):
        init = cloud.recycle(route.function) * 1000
        result = cloud.invoke_alone(route.function, json.dumps(route.batch()).encode())
    if result.error or failed_records(result.payload):
        raise RuntimeError(f"{route.function} failed the benchmark's batch: {result.payload!r}")
    return ColdStart(init, result.duration_ms)


def cold_starts(cloud: BenchCloud, fixtures: Fixtures, rounds: int) -> ColdStarts:
    """Each round gives every route, then each event-driven function (a batch), a new execution
    environment and times its init and its first invocation, each right after a cold start of
    the baseline. Rounds are the outer loop: every route sees the machine of every moment."""
    found = ColdStarts()
    baseline_route = next(r for r in ROUTES if r.function == BASELINE)
    for _ in range(rounds):
        for route in ROUTES:
            if route is baseline_route:
                continue
            baseline = api_cold_start(cloud, fixtures, baseline_route)
            found.add(route.name, route.function, api_cold_start(cloud, fixtures, route), baseline)
        for batch in BATCH_ROUTES:
            baseline = api_cold_start(cloud, fixtures, baseline_route)
            found.add(batch.name, batch.function, batch_cold_start(cloud, batch), baseline)
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
