"""The product events' path under faults (scripts/faults: product_events, async_cases,
async_scenarios): the publisher reports a record failed whenever its event may not be on the bus
and Lambda publishes it again; the replica consumer applies each version once, whatever fails;
end to end the replica holds exactly the product's last write.

`make faults` prints the same tables.
"""

import pytest

from scripts import faults
from shop_common.clients import ATTEMPTS

# C2: ProductChanged at version 2; D2: ProductDeleted at version 2. The stream holds C1 C2 D2 (the
# world's product made, updated, deleted); the publisher's first invocation meets the fault.
# Each row: its invocations; what each put on the bus; the consumer's applied and ignored events.
ALL_FAILED_THEN_OK = ("C1 C2 D2: failed all; C1 C2 D2: ok", "-; C1 C2 D2", 3, 0)
PUBLISHER = {
    "none": ("C1 C2 D2: ok", "C1 C2 D2", 3, 0),
    "bus-throttled": ALL_FAILED_THEN_OK,
    "bus-5xx": ALL_FAILED_THEN_OK,
    "bus-timeout": ALL_FAILED_THEN_OK,
    # The first entry refused, the others published: only its record fails, and Lambda retries
    # from it, so C2 and D2 come twice; the replica ignores the second of each.
    "bus-entry-failed": ("C1 C2 D2: failed C1; C1 C2 D2: ok", "C2 D2; C1 C2 D2", 2, 3),
    "bus-denied": ALL_FAILED_THEN_OK,
    # The SDK's retry published again and was answered: every event twice, the batch succeeded.
    "bus-lost-answer": ("C1 C2 D2: ok", "C1 C2 D2 C1 C2 D2", 3, 3),
    # Published (at each try) but unanswered: failed, though on the bus; Lambda publishes again.
    "bus-published-timeout": ("C1 C2 D2: failed all; C1 C2 D2: ok", "C1 C2 D2 C1 C2 D2; C1 C2 D2", 3, 6),
    "bus-published-throttled": ("C1 C2 D2: failed all; C1 C2 D2: ok", "C1 C2 D2; C1 C2 D2", 3, 3),
    # A function error: Lambda bisects the batch and retries each half.
    "bus-published-crash": ("C1 C2 D2: died; C1: ok; C2 D2: ok", "C1 C2 D2; C1; C2 D2", 3, 3),
}


@pytest.fixture(scope="module", autouse=True)
def quiet_handlers():
    """The handlers, imported once before the cases (they log only what is CRITICAL)."""
    faults.handlers()


@pytest.fixture(scope="module")
def publisher_cases():
    return {f.name: faults.run_publisher_case(f) for f in faults.PUBLISHER_FAULTS}


@pytest.fixture(scope="module")
def consumer_cases():
    return {f.name: faults.run_consumer_case(f) for f in faults.CONSUMER_FAULTS}


def row(outcome: faults.PathOutcome) -> tuple[str, str, int, int]:
    published = "; ".join(" ".join(i.published) or "-" for i in outcome.invocations)
    return faults.runs(outcome.invocations), published, outcome.applied, outcome.ignored


def test_every_eventbridge_fault_is_a_publisher_case():
    assert {f.name for f in faults.PUBLISHER_FAULTS} == set(PUBLISHER)
    assert set(faults.EVENTS_FAULTS) < set(faults.PUBLISHER_FAULTS)


@pytest.mark.parametrize("fault", faults.PUBLISHER_FAULTS, ids=lambda f: f.name)
def test_the_publisher_under_each_fault(publisher_cases, fault):
    outcome = publisher_cases[fault.name]
    assert row(outcome) == PUBLISHER[fault.name], outcome
    # Nothing lost, nothing resurrected: every event reached the replica, whatever came twice.
    assert outcome.replica == outcome.latest == "deleted at v2"
    assert "".join(outcome.deliveries[-1].failed) == ""


@pytest.mark.parametrize("fault", faults.PUBLISHER_FAULTS, ids=lambda f: f.name)
def test_a_record_is_failed_whenever_its_event_may_not_be_on_the_bus(publisher_cases, fault):
    first, *retries = publisher_cases[fault.name].invocations
    missing = set(first.records) - set(first.published)
    assert missing <= set(first.failed), first
    if first.failed:  # Lambda delivers it again (with the records after it), and it is published
        assert retries and set(first.failed) <= {e for i in retries for e in i.published}
    if fault.down and not first.died:  # one PutEvents for the batch, with the SDK's retries
        assert (first.calls, first.attempts) == (1, ATTEMPTS if fault.retried else 1), first


CONSUMER_DOWN = ("C2 C1 C2: failed all; C2 C1 C2: ok", "v2 at 11", 1, 2)
CONSUMER_DONE = ("C2 C1 C2: ok", "v2 at 11", 1, 2)


@pytest.mark.parametrize("fault", faults.CONSUMER_FAULTS, ids=lambda f: f.name)
def test_the_replica_consumer_under_each_fault(consumer_cases, fault):
    """C2 C1 C2 over p1 at v1: one update applied exactly once (also when its answer was lost:
    the retry recognises its own write), the stale and the repeated event change nothing. With
    DynamoDB down every record fails, and SQS delivers them again."""
    outcome = consumer_cases[fault.name]
    found = (faults.runs(outcome.invocations), outcome.replica, outcome.applied, outcome.ignored)
    assert found == (CONSUMER_DOWN if fault.down else CONSUMER_DONE), outcome
    if fault.down:
        first = outcome.invocations[0]
        assert first.calls == 3 and first.attempts == 3 * (ATTEMPTS if fault.retried else 1), first


# Each scenario: every step's answer, then the replica's entry, the product's last write, the
# consumer's applied and ignored events, the DLQ's messages and the batches given up.
PATH_SCENARIOS = {
    "two price changes, each hop failing once": (
        (
            "200",
            "C1 C2: failed all; C1 C2: ok",
            "C1 C2 C1 C2: ok",
            "200",
            "C3: failed all; C3: ok",
            "C3: failed all; C3: ok",
        ),
        ("v3 at 12", "v3 at 12", 3, 2, 0, 0),
    ),
    # Delivered newest first, as a standard queue may: the delete applies, the changes after it
    # change nothing.
    "a delete, its changes delivered after it": (
        (
            "200",
            "204",
            "C1 C2 D2: failed all; C1 C2 D2: ok",
            "D2 C2 C1 D2 C2 C1 D2 C2 C1: failed all; D2 C2 C1 D2 C2 C1 D2 C2 C1: ok",
        ),
        ("deleted at v2", "deleted at v2", 1, 8, 0, 0),
    ),
    # 1 invocation and 10 retries refused: the records are given up, described in the on-failure
    # queue; the replay publishes the product again at its version.
    "the bus refuses every retry; make replay-catalogue": (
        (
            "200",
            "C1 C2: failed all (x11); given up, to the on-failure queue",
            "-",
            "1 product touched",
            "C2: ok",
            "C2: ok",
        ),
        ("v2 at 11", "v2 at 11", 1, 0, 0, 1),
    ),
    # Refused at each of its 5 receives, then moved to the DLQ; the good events applied at once.
    "an event that breaks the contract, among good ones": (
        ("200", "C1 C2: ok", "X on the bus", "C1 C2 X: failed X; X: failed all (x4); X to the DLQ"),
        ("v2 at 11", "v2 at 11", 2, 0, 1, 0),
    ),
}


def test_every_path_scenario_is_asserted():
    assert {s.name for s in faults.PATH_SCENARIOS} == set(PATH_SCENARIOS)


@pytest.mark.parametrize("scenario", faults.PATH_SCENARIOS, ids=lambda s: s.name)
def test_each_path_scenario_ends_with_the_last_write_in_the_replica(scenario):
    outcome = faults.run_path_scenario(scenario)
    end = (
        outcome.replica,
        outcome.latest,
        outcome.applied,
        outcome.ignored,
        outcome.dead_letters,
        outcome.given_up,
    )
    assert (tuple(answer for _, _, answer in outcome.steps), end) == PATH_SCENARIOS[scenario.name], outcome
    assert outcome.replica == outcome.latest


def test_the_path_tables_print_every_case(publisher_cases, consumer_cases):
    outcomes = [*publisher_cases.values(), *consumer_cases.values()]
    publisher = faults.publisher_table(outcomes).splitlines()
    consumer = faults.consumer_table(outcomes).splitlines()
    assert len(publisher) == 2 + len(faults.PUBLISHER_FAULTS) and len(consumer) == 2 + len(
        faults.CONSUMER_FAULTS
    )
    assert [cell.strip() for cell in publisher[6].split("|")[1:4]] == [
        "bus-entry-failed",
        "C1 C2 D2: failed C1; C1 C2 D2: ok",
        "C2 D2; C1 C2 D2",
    ]
    assert "v2 at 11 (1 applied, 2 ignored)" in consumer[-1]


def test_runs_counts_identical_invocations_in_a_row():
    failed = faults.Invocation(("C1",), ("C1",), "bus-throttled")
    done = faults.Invocation(("C1",), (), "none")
    assert faults.runs([failed, failed, failed, done]) == "C1: failed all (x3); C1: ok"
    assert faults.runs([]) == "-"
