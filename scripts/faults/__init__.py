"""`make faults`: every route of every service under injected AWS faults, printed as a matrix,
and scenarios of calls in turn, each under its own fault.

Each case runs one route in process, on moto, with the services' own handlers and clients (so
with their timeouts and retry settings), and one fault injected where moto answers, as if AWS
had answered, or not, that way (injector). A fault says what each try of a call meets
(catalogue): an error answer, no answer, a request carried out whose answer is then lost, or one
after which the function dies. A case records what the client gets (the status, and
Retry-After), how many tries the SDK made, and what the tables and the bus hold afterwards
compared to before (world). The scenarios chain calls (a checkout and its retries) and end by
delivering every published event to the order consumer (scenarios). tests/faults asserts the
same tables that `make faults` prints (report).

    catalogue.py  the faults          injector.py  where they are injected
    world.py      moto, the handlers  routes.py    every route, as a case calls it
    scenarios.py  calls in sequence   report.py    runs them all, prints the tables
"""

from moto import mock_aws  # noqa: F401  first: moto answers only the clients made after it is imported

from scripts.faults.catalogue import (
    DYNAMODB_FAULTS,
    EVENTS_FAULTS,
    FAULTS,
    LOST_ANSWER,
    NO_FAULT,
    Fault,
    Try,
)
from scripts.faults.injector import FunctionDied, Injector, injected
from scripts.faults.report import Outcome, by_fault, cases, matrix, run_case, scenario_table
from scripts.faults.routes import ROUTES, Route
from scripts.faults.scenarios import SCENARIOS, Scenario, ScenarioOutcome, run_scenario
from scripts.faults.world import World, handlers

__all__ = [
    "DYNAMODB_FAULTS",
    "EVENTS_FAULTS",
    "FAULTS",
    "LOST_ANSWER",
    "NO_FAULT",
    "ROUTES",
    "SCENARIOS",
    "Fault",
    "FunctionDied",
    "Injector",
    "Outcome",
    "Route",
    "Scenario",
    "ScenarioOutcome",
    "Try",
    "World",
    "by_fault",
    "cases",
    "handlers",
    "injected",
    "matrix",
    "run_case",
    "run_scenario",
    "scenario_table",
]
