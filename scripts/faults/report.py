"""Runs the cases (each route under each fault) and the scenarios, and prints them as tables."""

import contextlib
import io
import os
from dataclasses import dataclass
from typing import Any

from scripts.faults.async_cases import PathOutcome, async_cases
from scripts.faults.async_scenarios import PATH_SCENARIOS, PathScenarioOutcome, run_path_scenario
from scripts.faults.catalogue import (
    BUS_PUBLISHED_CRASH,
    DYNAMODB_FAULTS,
    EVENTS_FAULTS,
    FAULTS,
    NO_FAULT,
    Fault,
)
from scripts.faults.injector import injected
from scripts.faults.invocations import runs
from scripts.faults.routes import ROUTES, Route
from scripts.faults.scenarios import SCENARIOS, ScenarioOutcome, run_scenario
from scripts.faults.world import describe, fresh_world
from scripts.localcloud import system


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
    with fresh_world() as world:
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


def table(rows: list[list[str]]) -> str:
    """A Markdown table; the first row is the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cell(outcome: Outcome) -> str:
    return f"{outcome.status} {'=' if outcome.state == 'unchanged' else outcome.state}"


def matrix(outcomes: list[Outcome], faults: tuple[Fault, ...]) -> str:
    """A grid: one row per route, one column per fault; each cell "status state"."""
    names = [f.name for f in faults]
    cell = {(o.route, o.fault): _cell(o) for o in outcomes}
    routes = [r for r in dict.fromkeys(o.route for o in outcomes) if any((r, f) in cell for f in names[1:])]
    return table([["route", *names]] + [[r, *(cell.get((r, f), "") for f in names)] for r in routes])


def by_fault(outcomes: list[Outcome], faults: tuple[Fault, ...]) -> str:
    """One row per fault and route that meets it: for faults that few routes meet (EventBridge)."""
    names = {f.name for f in faults}
    met = {o.route for o in outcomes if o.fault in names and o.fault != NO_FAULT.name}
    rows = [[o.fault, o.route, _cell(o)] for o in outcomes if o.fault in names and o.route in met]
    return table([["fault", "route", "answer and state"], *rows])


def scenario_table(outcomes: list[ScenarioOutcome]) -> str:
    rows = [[o.name, ", ".join(o.answers), ", ".join(o.delivered) or "-", o.state] for o in outcomes]
    return table([["scenario", "answers", "consumer, each event", "state after"], *rows])


def _updates(outcome: PathOutcome | PathScenarioOutcome) -> str:
    return f"{outcome.applied} applied, {outcome.ignored} ignored"


def publisher_table(outcomes: list[PathOutcome]) -> str:
    """One row per fault: the publisher's invocations, what each put on the bus, and the replica
    after the consumer got every event."""
    rows = [
        [
            o.fault,
            runs(o.invocations),
            "; ".join(" ".join(i.published) or "-" for i in o.invocations),
            f"{o.replica} ({_updates(o)})",
        ]
        for o in outcomes
        if o.function == "publisher"
    ]
    header = ["fault", "publisher, each invocation", "on the bus, from each invocation", "replica after"]
    return table([header, *rows])


def consumer_table(outcomes: list[PathOutcome]) -> str:
    """One row per fault: the consumer's deliveries, and the replica after them."""
    rows = [
        [o.fault, runs(o.invocations), f"{o.replica} ({_updates(o)})"]
        for o in outcomes
        if o.function == "consumer"
    ]
    return table([["fault", "consumer, each delivery", "replica p1 after"], *rows])


def path_scenario_table(outcomes: list[PathScenarioOutcome]) -> str:
    """One row per step; each scenario ends with the replica and the product's last write."""
    rows = []
    for o in outcomes:
        for i, (label, faults, answer) in enumerate(o.steps):
            rows.append([o.name if i == 0 else "", label, faults, answer])
        end = f"{o.replica} ({_updates(o)}); the product's last write: {o.latest}"
        extra = [f"{o.dead_letters} in the DLQ"] * bool(o.dead_letters)
        extra += [f"{o.given_up} batch given up"] * bool(o.given_up)
        rows.append(["", "-> replica", "", ", ".join([end, *extra])])
    return table([["scenario", "step", "faults, in turn", "answer"], *rows])


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No application metrics to publish")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")  # the handlers' logs are not the point here
    with contextlib.redirect_stdout(io.StringIO()):  # their metrics neither
        outcomes = [run_case(route, fault) for route, fault in cases()]
        scenarios = [run_scenario(scenario) for scenario in SCENARIOS]
        paths = async_cases()
        path_scenarios = [run_path_scenario(scenario) for scenario in PATH_SCENARIOS]
    print("Fault matrix: each route under one injected fault, in process on moto, with the services'")
    print("own handlers and SDK clients. Cell: the status the client gets (the consumer: ok, or retry =")
    print("reported as a batch item failure, so SQS delivers it again), then what the tables and the")
    print("bus hold afterwards compared to before (= unchanged).\n")
    print("DynamoDB faults, on every attempt of every call (lost-answer: the first attempt of each call):\n")
    print(matrix(outcomes, (NO_FAULT, *DYNAMODB_FAULTS)))
    print("\nEventBridge faults, on PutEvents (each try as the fault says):\n")
    print(by_fault(outcomes, (NO_FAULT, *EVENTS_FAULTS)))
    print("\nScenarios: calls in turn, each under its fault, then the order consumer gets every event")
    print("they published (died: the function stopped right after its PutEvents; API Gateway answers 5xx):\n")
    print(scenario_table(scenarios))
    print("\nThe product events' path (product table stream -> publisher -> bus -> catalogue queue ->")
    print("replica consumer), in process: Lambda's stream mapping as the local cloud runs it (retries")
    print("from the first failed record, bisects a batch whose invocation failed), SQS delivering")
    print("again what failed. C2 = ProductChanged at version 2, D2 = ProductDeleted at version 2,")
    print("X = no product event of the contracts; a stream record is named by the event it makes.")
    print("\nThe publisher, its first invocation under each fault (on C1 C2 D2: the world's product")
    print("updated and deleted), then the consumer gets every event on the bus; the product's last")
    print(f"write: {paths[0].latest}:\n")
    print(publisher_table(paths))
    print("\nThe replica consumer, its first delivery under each fault (C2 C1 C2 of p1, which the")
    print("replica holds at v1 at 10: an update, a stale event, a repeated one):\n")
    print(consumer_table(paths))
    print("\nThe path end to end, each step under its faults:\n")
    print(path_scenario_table(path_scenarios))
    print("\nFaults:")
    for fault in (*FAULTS[1:], BUS_PUBLISHED_CRASH):
        print(f"  {fault.name:<24} {fault.summary}")
    failed = [o for o in outcomes if o.fault != "none" and o.status not in ("200", "201", "202", "204", "ok")]
    retry_after = sorted({o.retry_after or "none" for o in outcomes if o.status == "503"})
    attempts = sorted({o.attempts for o in failed if o.status in ("503", "retry")})
    print(
        f"\n{len(outcomes) + len(paths)} cases, {len(scenarios) + len(path_scenarios)} scenarios. "
        "Every 503 carries Retry-After: "
        f"{', '.join(retry_after)}. A route that fails makes "
        f"{'/'.join(map(str, sorted({o.calls for o in failed})))} call to the faulty service, in "
        f"{' or '.join(map(str, attempts))} attempts (1 when the fault is not retryable or PutEvents "
        "answered; else the SDK's total_max_attempts)."
    )
    for function, call in (("publisher", "PutEvents"), ("consumer", "PutItem")):
        firsts = [o.invocations[0] for o in paths if o.function == function]
        tries = [i for i in firsts if i.failed and not i.died]
        calls = "/".join(map(str, sorted({i.calls for i in tries})))
        per_call = " or ".join(map(str, sorted({i.attempts // i.calls for i in tries})))
        print(
            f"A failing {function} makes {calls} {call} call(s) for its 3 records, {per_call} attempts each."
        )
    from shop_common import clients

    timeouts = ", ".join(f"{f.name} {f.timeout} s" for s in system.SERVICES for f in s.functions)
    print(
        f"One call at its slowest: {clients.ATTEMPTS} attempts x ({clients.CONNECT_TIMEOUT:g} s connect + "
        f"{clients.READ_TIMEOUT:g} s read) + backoff = {clients.worst_case_seconds():g} s. "
        f"Function timeouts: {timeouts}."
    )
