"""The product events' path end to end, in process: product writes, their stream records through
the publisher (Lambda retrying it), the events through the catalogue queue to the replica
consumer (SQS delivering again what failed), each step under its own faults; each scenario ends
with the replica holding exactly the product's last write (nothing lost, nothing resurrected).
"""

from collections.abc import Callable
from dataclasses import dataclass

from scripts.faults.catalogue import (
    BUS_PUBLISHED_TIMEOUT,
    BUS_THROTTLED,
    DYNAMODB_FAULTS,
    EVENTS_FAULTS,
    LOST_ANSWER,
    NO_FAULT,
    Fault,
)
from scripts.faults.injector import injected
from scripts.faults.invocations import runs
from scripts.faults.product_events import ProductEvents
from scripts.faults.world import api, fresh_world
from scripts.localcloud import system

BUS_ENTRY_FAILED = next(f for f in EVENTS_FAULTS if f.name == "bus-entry-failed")
PUBLISHED_THROTTLED = next(f for f in EVENTS_FAULTS if f.name == "bus-published-throttled")
THROTTLED = next(f for f in DYNAMODB_FAULTS if f.name == "throttled")
SERVER_ERROR = next(f for f in DYNAMODB_FAULTS if f.name == "5xx")


@dataclass(frozen=True)
class PathStep:
    label: str
    faults: tuple[Fault, ...]  # what its invocations meet in turn (then none); a write: its call
    run: Callable[[ProductEvents, tuple[Fault, ...]], str]  # its answer


@dataclass(frozen=True)
class PathScenario:
    name: str
    steps: tuple[PathStep, ...]


@dataclass(frozen=True)
class PathScenarioOutcome:
    name: str
    steps: tuple[tuple[str, str, str], ...]  # each step's label, faults and answer
    replica: str  # the product's entry in the replica at the end
    latest: str  # the product's last write
    applied: int  # the consumer's CatalogueReplicaUpdates
    ignored: int  # its StaleProductEventsIgnored
    dead_letters: int  # in the catalogue queue's DLQ
    given_up: int  # descriptions of stream records given up, in the on-failure queue


def _write(method: str, body: dict | None = None) -> Callable[[ProductEvents, tuple[Fault, ...]], str]:
    def run(path: ProductEvents, faults: tuple[Fault, ...]) -> str:
        with injected(faults[0] if faults else NO_FAULT):
            return api("product", method, f"/product/{path.world.product_id}", body).status

    return run


def _publish(path: ProductEvents, faults: tuple[Fault, ...]) -> str:
    given_up = path.given_up()
    answer = runs(path.publish(faults))
    return answer + ("; given up, to the on-failure queue" if path.given_up() > given_up else "")


def _deliver(newest_first: bool = False) -> Callable[[ProductEvents, tuple[Fault, ...]], str]:
    def run(path: ProductEvents, faults: tuple[Fault, ...]) -> str:
        dead_letters = path.dead_letters()
        answer = runs(path.deliver(faults, newest_first))
        return answer + ("; X to the DLQ" if path.dead_letters() > dead_letters else "")

    return run


def _replay(path: ProductEvents, faults: tuple[Fault, ...]) -> str:
    from scripts.replay_catalogue import replay

    return f"{replay(path.world.dynamodb, system.PRODUCT.tables[0].name)} product touched"


def _broken_event(path: ProductEvents, faults: tuple[Fault, ...]) -> str:
    # A ProductChanged without its price (the bus policy lets only the publisher send
    # shop.product events; this stands for a publisher's bug).
    detail = {"id": path.world.product_id, "name": "Phone", "category": "phones", "version": 9}
    path.put("ProductChanged", detail)
    return "X on the bus"


PATH_SCENARIOS = (
    PathScenario(
        "two price changes, each hop failing once",
        (
            PathStep("PUT /product/{id} price 11", (LOST_ANSWER,), _write("PUT", {"price": 11})),
            PathStep("publisher", (PUBLISHED_THROTTLED,), _publish),
            PathStep("consumer", (LOST_ANSWER,), _deliver()),
            PathStep("PUT /product/{id} price 12", (), _write("PUT", {"price": 12})),
            PathStep("publisher", (BUS_ENTRY_FAILED,), _publish),
            PathStep("consumer", (THROTTLED,), _deliver()),
        ),
    ),
    PathScenario(
        "a delete, its changes delivered after it",
        (
            PathStep("PUT /product/{id} price 11", (), _write("PUT", {"price": 11})),
            PathStep("DELETE /product/{id}", (), _write("DELETE")),
            PathStep("publisher", (BUS_PUBLISHED_TIMEOUT,), _publish),
            PathStep("consumer, newest first", (SERVER_ERROR,), _deliver(newest_first=True)),
        ),
    ),
    PathScenario(
        "the bus refuses every retry; make replay-catalogue",
        (
            PathStep("PUT /product/{id} price 11", (), _write("PUT", {"price": 11})),
            PathStep(
                "publisher", (BUS_THROTTLED,) * (system.PRODUCT.stream_mappings[0].max_retries + 1), _publish
            ),
            PathStep("consumer", (), _deliver()),
            PathStep("make replay-catalogue", (), _replay),
            PathStep("publisher", (), _publish),
            PathStep("consumer", (), _deliver()),
        ),
    ),
    PathScenario(
        "an event that breaks the contract, among good ones",
        (
            PathStep("PUT /product/{id} price 11", (), _write("PUT", {"price": 11})),
            PathStep("publisher", (), _publish),
            PathStep("a broken ProductChanged", (), _broken_event),
            PathStep("consumer", (), _deliver()),
        ),
    ),
)


def run_path_scenario(scenario: PathScenario) -> PathScenarioOutcome:
    """The scenario on a fresh moto."""
    with fresh_world() as world:
        path = ProductEvents(world)
        steps = []
        for step in scenario.steps:
            faults = runs_of(step.faults)
            steps.append((step.label, faults, step.run(path, step.faults)))
        return PathScenarioOutcome(
            scenario.name,
            tuple(steps),
            path.replica(world.product_id),
            path.latest(world.product_id),
            path.updates["applied"],
            path.updates["ignored"],
            path.dead_letters(),
            path.given_up(),
        )


def runs_of(faults: tuple[Fault, ...]) -> str:
    """The faults a step meets, in turn: "bus-throttled (x11)", or "none"."""
    if not faults:
        return "none"
    if len(set(faults)) == 1 and len(faults) > 1:
        return f"{faults[0].name} (x{len(faults)})"
    return ", ".join(f.name for f in faults)
