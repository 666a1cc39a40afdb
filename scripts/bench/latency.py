"""Init duration, first request and warm requests, through the local cloud's API Gateway."""

import compileall
import py_compile
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests

from scripts.bench.routes import ADMIN, ROUTES, USERS, Fixtures, Request, Route
from scripts.localcloud.cloud import LocalCloud
from scripts.token import id_token


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


def with_bytecode(package: Path, destination: Path) -> Path:
    """A copy of the package with the bytecode a zip could carry (this interpreter's)."""
    shutil.copytree(package, destination)
    compileall.compile_dir(
        destination, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )
    return destination


def cold_starts(
    cloud: LocalCloud, fixtures: Fixtures, rounds: int, functions: tuple[str, ...], scratch: Path
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]]]:
    """Each round gives every route a new execution environment and times its first request,
    and starts each function once more from its package with bytecode. Returns the init
    durations by function (as built, and with bytecode) and the first-request latencies by
    route, in ms."""
    init: dict[str, list[float]] = defaultdict(list)
    init_bytecode: dict[str, list[float]] = defaultdict(list)
    first: dict[str, list[float]] = defaultdict(list)
    compiled = {
        package: with_bytecode(directory, scratch / f"{package}-bytecode")
        for package, directory in cloud.packages.items()
    }
    for _ in range(rounds):  # rounds outermost: every figure sees the same machine
        for route in ROUTES:
            request = route.prepare(fixtures)  # before the new environment: setup is not timed
            init[route.function].append(cloud.recycle(route.function) * 1000)
            first[route.name].append(timed_ms(fixtures, route, request))
        for function in functions:
            if function not in {r.function for r in ROUTES}:
                init[function].append(cloud.recycle(function) * 1000)
            package = cloud.pools[function].function.package
            init_bytecode[function].append(cloud.recycle(function, compiled[package]) * 1000)
            cloud.recycle(function)  # back to the package as built
    return init, init_bytecode, first


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
