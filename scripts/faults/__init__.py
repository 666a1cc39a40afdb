"""`make faults`: every route of every service under injected AWS faults, printed as a matrix,
and scenarios of calls in turn, each under its own fault.

Each case runs one route in process, on moto, with the services' own handlers and clients (so
with their timeouts and retry settings), and one fault injected where moto answers, as if AWS
had answered, or not, that way (injector). A fault says what each try of a call meets
(catalogue): an error answer, no answer, a request carried out whose answer is then lost, or one
after which the function dies. A case records what the client gets (the status, and
Retry-After), how many tries the SDK made, and what the tables and the bus hold afterwards
compared to before (world). The scenarios chain calls (a checkout and its retries) and end by
delivering every published event to the order consumer (scenarios).

The product events' asynchronous path runs the same way (product_events): the product table's
stream through Lambda's stream mapping to the publisher, the bus, the catalogue queue and the
replica consumer. Its cases put the publisher under each EventBridge fault and the consumer
under each DynamoDB fault (async_cases); its scenarios chain product writes, the publisher and
the consumer, each under its faults, and end with the replica (async_scenarios).
tests/faults asserts the same tables that `make faults` prints (report).

    catalogue.py       the faults               injector.py        where they are injected
    world.py           moto, the handlers       routes.py          every route, as a case calls it
    scenarios.py       calls in sequence        product_events.py  the product events' path
    async_cases.py     its functions' cases     async_scenarios.py its scenarios
    report.py          runs them all, prints the tables
"""

from moto import mock_aws  # noqa: F401  first: moto answers only the clients made after it is imported

from scripts.faults.async_cases import (
    CONSUMER_FAULTS,
    PUBLISHER_FAULTS,
    PathOutcome,
    async_cases,
    run_consumer_case,
    run_publisher_case,
)
from scripts.faults.async_scenarios import (
    PATH_SCENARIOS,
    PathScenario,
    PathScenarioOutcome,
    run_path_scenario,
)
from scripts.faults.catalogue import (
    BUS_PUBLISHED_CRASH,
    DYNAMODB_FAULTS,
    EVENTS_FAULTS,
    FAULTS,
    LOST_ANSWER,
    NO_FAULT,
    Fault,
    Try,
)
from scripts.faults.injector import FunctionDied, Injector, injected
from scripts.faults.invocations import Invocation, runs
from scripts.faults.product_events import ProductEvents
from scripts.faults.report import (
    Outcome,
    by_fault,
    cases,
    consumer_table,
    matrix,
    path_scenario_table,
    publisher_table,
    run_case,
    scenario_table,
)
from scripts.faults.routes import ROUTES, Route
from scripts.faults.scenarios import SCENARIOS, Scenario, ScenarioOutcome, run_scenario
from scripts.faults.world import World, handlers

__all__ = [
    "BUS_PUBLISHED_CRASH",
    "CONSUMER_FAULTS",
    "DYNAMODB_FAULTS",
    "EVENTS_FAULTS",
    "FAULTS",
    "LOST_ANSWER",
    "NO_FAULT",
    "PATH_SCENARIOS",
    "PUBLISHER_FAULTS",
    "ROUTES",
    "SCENARIOS",
    "Fault",
    "FunctionDied",
    "Injector",
    "Invocation",
    "Outcome",
    "PathOutcome",
    "PathScenario",
    "PathScenarioOutcome",
    "ProductEvents",
    "Route",
    "Scenario",
    "ScenarioOutcome",
    "Try",
    "World",
    "async_cases",
    "by_fault",
    "cases",
    "consumer_table",
    "handlers",
    "injected",
    "matrix",
    "path_scenario_table",
    "publisher_table",
    "run_case",
    "run_consumer_case",
    "run_path_scenario",
    "run_publisher_case",
    "run_scenario",
    "runs",
    "scenario_table",
]
