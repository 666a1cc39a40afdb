"""Runs the cases (each route under each fault) and the scenarios, and prints them as tables."""

import contextlib
import io
import os
from dataclasses import dataclass
from typing import Any

from scripts.faults.catalogue import DYNAMODB_FAULTS, EVENTS_FAULTS, FAULTS, NO_FAULT, Fault
from scripts.faults.injector import injected
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


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No application metrics to publish")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")  # the handlers' logs are not the point here
    with contextlib.redirect_stdout(io.StringIO()):  # their metrics neither
        outcomes = [run_case(route, fault) for route, fault in cases()]
        scenarios = [run_scenario(scenario) for scenario in SCENARIOS]
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
    print("\nFaults:")
    for fault in FAULTS[1:]:
        print(f"  {fault.name:<24} {fault.summary}")
    failed = [o for o in outcomes if o.fault != "none" and o.status not in ("200", "201", "202", "204", "ok")]
    retry_after = sorted({o.retry_after or "none" for o in outcomes if o.status == "503"})
    attempts = sorted({o.attempts for o in failed if o.status in ("503", "retry")})
    print(
        f"\n{len(outcomes)} cases, {len(scenarios)} scenarios. Every 503 carries Retry-After: "
        f"{', '.join(retry_after)}. A route that fails makes "
        f"{'/'.join(map(str, sorted({o.calls for o in failed})))} call to the faulty service, in "
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
