"""The fault matrix (scripts/faults): each route of each service under each injected AWS fault
answers as it should, retries as the SDK should, and leaves no partial state; and the scenarios
(a checkout and its retries, each under its own fault, then the consumer) make exactly one order.

`make faults` prints the same tables.
"""

import pytest

from scripts import faults
from shop_common.clients import ATTEMPTS

# What a route does without a fault: its status, and what it changes.
DONE = {
    "POST /product": ("201", "product +1"),
    "GET /product/{id}": ("200", "unchanged"),
    "GET /product": ("200", "unchanged"),
    "GET /product?category": ("200", "unchanged"),
    "PUT /product/{id} If-Match": ("200", "product v2"),
    "DELETE /product/{id} If-Match": ("204", "product -1"),
    "GET /basket/{userName}": ("200", "unchanged"),
    "GET /basket": ("200", "unchanged"),
    "POST /basket If-Match": ("200", "basket replaced"),
    "DELETE /basket/{userName} If-Match": ("204", "basket -1"),
    "POST /basket/checkout": ("202", "basket -1, 1 event (1 checkout)"),
    "GET /order": ("200", "unchanged"),
    "GET /order/{userName}": ("200", "unchanged"),
    "GET /order/{userName}/{orderId}": ("200", "unchanged"),
    "order consumer (1 record)": ("ok", "order +1"),
}
# A lost answer: the SDK's retry meets the done work. A write is done once and answered as done,
# except a delete: its retry finds nothing to delete, and nothing tells whose delete that was.
LOST_ANSWER = {
    **DONE,
    "DELETE /product/{id} If-Match": ("404", "product -1"),
    "DELETE /basket/{userName} If-Match": ("404", "basket -1"),
}
# The checkout rules (services/basket/basket/checkout.py): refused for sure at every try, the
# basket is unlocked (and keeps its checkoutId); maybe published, it stays locked with its event.
CHECKOUT = {
    "bus-throttled": ("503", "basket unlocked, checkoutId kept"),
    "bus-5xx": ("503", "basket locked"),
    "bus-timeout": ("503", "basket locked"),
    "bus-entry-failed": ("503", "basket unlocked, checkoutId kept"),
    "bus-denied": ("503", "basket unlocked, checkoutId kept"),
    # The event twice, with one checkoutId: the order service makes one order of it.
    "bus-lost-answer": ("202", "basket -1, 2 events (1 checkout)"),
    "bus-published-timeout": ("503", "basket locked, 2 events (1 checkout)"),
    # The SDK's retry was refused, but the first try had published: locked, not unlocked.
    "bus-published-throttled": ("503", "basket locked, 1 event (1 checkout)"),
}


def expected(route: faults.Route, fault: faults.Fault) -> tuple[str, str]:
    if fault is faults.NO_FAULT:
        return DONE[route.name]
    if fault.lost_answer and fault.service == "dynamodb":
        return LOST_ANSWER[route.name]
    if fault.service == "events":
        return CHECKOUT[fault.name]
    # DynamoDB is down: nothing is written. A retryable fault is a 503 (retry later), one that
    # retrying cannot cure (access denied: a deployment fault) a plain 500; the consumer leaves
    # the record to SQS either way.
    if route.name.startswith("order consumer"):
        return "retry", "unchanged"
    return ("503" if fault.retried else "500"), "unchanged"


@pytest.fixture(scope="module", autouse=True)
def quiet_handlers():
    """The handlers, imported once before the cases (they log only what is CRITICAL)."""
    faults.handlers()


def test_every_route_and_fault_is_a_case():
    assert {r.name for r in faults.ROUTES} == set(DONE)
    assert {f.name for f in faults.EVENTS_FAULTS} == set(CHECKOUT)


@pytest.mark.parametrize(("route", "fault"), faults.cases(), ids=lambda v: v.name)
def test_each_route_under_each_fault(route, fault):
    outcome = faults.run_case(route, fault)
    assert (outcome.status, outcome.state) == expected(route, fault), outcome
    if outcome.status == "503":
        assert outcome.retry_after == "1"
    if outcome.status == "500":
        assert outcome.body == {"message": "Internal server error"}  # no stack trace, no AWS detail
    if fault is faults.NO_FAULT or fault.lost_answer:
        return
    # The dependency is down: the route gives up at its first call to it, after the SDK's retries,
    # so a stuck dependency costs a route one call at its slowest (tests/common/test_clients.py).
    assert outcome.calls == 1, outcome
    assert outcome.attempts == (ATTEMPTS if fault.retried else 1), outcome
    assert len(outcome.backoff) == outcome.attempts - 1


# Each scenario: the answers of its steps, the consumer's answer to each event they published,
# and what changed. One order per checkout, whatever failed; every event of a checkout the same.
SCENARIOS = {
    # Issue 12: the first PutEvents timed out but reached the bus; the retry's was throttled (a
    # certain refusal, of that try only); the next retry. Before the fix: the throttled retry
    # unlocked the basket, the next one built a new event (another checkedOutAt), and the
    # consumer made two orders with one orderId.
    "checkout: published, no answer; retry throttled; retry": (
        ("503", "503", "202"),
        ("ok", "ok", "ok"),
        "basket -1, order +1, 3 events (1 checkout)",
    ),
    # The function died right after its PutEvents reached the bus: nobody can tell later.
    "checkout: died after PutEvents; retry throttled; retry": (
        ("died", "503", "202"),
        ("ok", "ok"),
        "basket -1, order +1, 2 events (1 checkout)",
    ),
    "checkout: published, SDK retry throttled; retry": (
        ("503", "202"),
        ("ok", "ok"),
        "basket -1, order +1, 2 events (1 checkout)",
    ),
    # Refused for sure at the attempt that recorded it: unlocked, so the basket can change, and
    # the next checkout sends the new basket (its only event).
    "checkout: refused for sure; basket changed; retry": (
        ("503", "200", "202"),
        ("ok",),
        "basket -1, order +1, 1 event (1 checkout)",
    ),
    # Another event of a checkout that made an order: refused (to the DLQ), no second order.
    "consumer: two different events of one checkout": (("ok", "retry"), (), "order +1"),
}


def test_every_scenario_is_asserted():
    assert {s.name for s in faults.SCENARIOS} == set(SCENARIOS)


@pytest.mark.parametrize("scenario", faults.SCENARIOS, ids=lambda s: s.name)
def test_each_scenario_makes_exactly_one_order(scenario):
    outcome = faults.run_scenario(scenario)
    assert (outcome.answers, outcome.delivered, outcome.state) == SCENARIOS[scenario.name], outcome


def test_the_matrix_prints_every_case(capsys):
    outcomes = [faults.run_case(r, f) for r, f in faults.cases() if r.name == "GET /basket"]
    table = faults.matrix(outcomes, (faults.NO_FAULT, *faults.DYNAMODB_FAULTS))
    assert table.splitlines()[2].startswith("| GET /basket") and "503 =" in table and "500 =" in table


def test_the_scenarios_print_as_a_table():
    outcome = faults.ScenarioOutcome("s", ("503", "202"), ("ok",), "order +1")
    assert (
        faults.scenario_table([outcome]).splitlines()[2]
        == "| s        | 503, 202 | ok                   | order +1    |"
    )
