"""Calls in sequence, each under its own fault, then every event they published delivered to the
order consumer: what one checkout becomes when its tries fail in turn (issue 12's sequence among
them), and what the consumer does with two different events of one checkout."""

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from scripts.faults.catalogue import (
    BUS_DENIED,
    BUS_PUBLISHED_CRASH,
    BUS_PUBLISHED_TIMEOUT,
    BUS_THROTTLED,
    EVENTS_FAULTS,
    NO_FAULT,
    Fault,
)
from scripts.faults.injector import injected
from scripts.faults.world import (
    CHECKOUT,
    LINE,
    USER,
    Answer,
    World,
    api,
    checkout_event,
    consume,
    describe,
    fresh_world,
)


@dataclass(frozen=True)
class Step:
    label: str
    fault: Fault
    run: Callable[[World], Answer]


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    deliver: bool = True  # at the end the consumer gets every event the steps published, in order


@dataclass(frozen=True)
class ScenarioOutcome:
    name: str
    answers: tuple[str, ...]  # each step's status ("died": the function stopped)
    delivered: tuple[str, ...]  # the consumer's answer to each published event
    state: str  # what changed, as describe() says it


def _checkout(world: World) -> Answer:
    return api("basket", "POST", "/basket/checkout", CHECKOUT)


def _refill(world: World) -> Answer:
    return api("basket", "POST", "/basket", {"userName": USER, "items": [{**LINE, "quantity": 3}]})


_EVENT = checkout_event()
_LATER_EVENT = copy.deepcopy(_EVENT)
_LATER_EVENT["id"] = str(uuid.uuid4())
_LATER_EVENT["detail"]["checkedOutAt"] = "2026-11-26T10:15:31.456Z"  # a new event of the same checkout

PUBLISHED_THROTTLED = next(f for f in EVENTS_FAULTS if f.name == "bus-published-throttled")
SCENARIOS = (
    Scenario(
        "checkout: published, no answer; retry throttled; retry",
        (
            Step("PutEvents published, no answer", BUS_PUBLISHED_TIMEOUT, _checkout),
            Step("PutEvents throttled", BUS_THROTTLED, _checkout),
            Step("no fault", NO_FAULT, _checkout),
        ),
    ),
    Scenario(
        "checkout: died after PutEvents; retry throttled; retry",
        (
            Step("PutEvents published, then the function died", BUS_PUBLISHED_CRASH, _checkout),
            Step("PutEvents throttled", BUS_THROTTLED, _checkout),
            Step("no fault", NO_FAULT, _checkout),
        ),
    ),
    Scenario(
        "checkout: published, SDK retry throttled; retry",
        (
            Step("first try published, SDK retry throttled", PUBLISHED_THROTTLED, _checkout),
            Step("no fault", NO_FAULT, _checkout),
        ),
    ),
    Scenario(
        "checkout: refused for sure; basket changed; retry",
        (
            Step("PutEvents access denied", BUS_DENIED, _checkout),
            Step("POST /basket, 3 phones", NO_FAULT, _refill),
            Step("no fault", NO_FAULT, _checkout),
        ),
    ),
    Scenario(
        "consumer: two different events of one checkout",
        (
            Step("the event", NO_FAULT, lambda w: consume(_EVENT)),
            Step("another event, same checkoutId", NO_FAULT, lambda w: consume(_LATER_EVENT)),
        ),
        deliver=False,
    ),
)


def run_scenario(scenario: Scenario) -> ScenarioOutcome:
    """The scenario on a fresh moto."""
    with fresh_world() as world:
        before = world.snapshot()
        answers = []
        for step in scenario.steps:
            with injected(step.fault):
                answers.append(step.run(world).status)
        published = world.events()[len(before["events"]) :]
        delivered = tuple(consume(event).status for event in published) if scenario.deliver else ()
        return ScenarioOutcome(scenario.name, tuple(answers), delivered, describe(before, world.snapshot()))
