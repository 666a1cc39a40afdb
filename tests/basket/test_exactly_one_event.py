"""The release rule of checkout (services/basket/basket/checkout.py): once a checkout's event may
have been published, it is the only event that checkout ever publishes. Only the attempt that
recorded it may unlock the basket, and only when EventBridge certainly refused it; any later
attempt takes it over and republishes it as it is.

The repository and the publisher are the real ones on moto; faults are injected around them.
"""

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError

from basket.checkout import CheckoutNotSent, PublishError, check_out
from basket.publisher import EventPublisher
from scripts import faults
from shop_common import clients
from shop_common.errors import ConflictError, NotFoundError, UnavailableError
from tests.basket.conftest import BUS
from tests.basket.test_checkout import Crash, fill, raising


@pytest.fixture
def baskets(aws):
    from basket.repository import BasketRepository
    from tests.basket.conftest import TABLE

    return BasketRepository(boto3.client("dynamodb"), TABLE)


@pytest.fixture
def publisher(published):
    return EventPublisher(clients.client("events"), BUS)  # the function's retries: 2 tries a call


@pytest.fixture
def request_():
    from basket.models import CheckoutRequest
    from tests.basket.test_models import CHECKOUT

    return CheckoutRequest.model_validate(CHECKOUT)


def published_then(publisher, error: BaseException):
    """A publish that reaches the bus, then fails as `error` (its answer lost, the function dead)."""
    real = publisher.publish

    def publish(checkout):
        real(checkout)
        raise error

    return publish


def details(published) -> list[dict]:
    return [event["detail"] for event in published.all()]


def locked(baskets) -> bool:
    return baskets.get("swn").pendingCheckout is not None


def test_the_issue_sequence_publishes_one_event_however_often_it_is_sent(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    real = publisher.publish
    # 1. PutEvents reached the bus, but its answer timed out: unknown.
    monkeypatch.setattr(
        publisher, "publish", published_then(publisher, PublishError("timed out", certain=False))
    )
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    # 2. The retry's PutEvents is throttled: refused for sure, but only this try; the first reached the bus.
    monkeypatch.setattr(publisher, "publish", raising(PublishError("throttled", certain=True)))
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    assert locked(baskets)
    with pytest.raises(ConflictError, match="in progress"):
        fill(baskets, quantity=5)  # the basket cannot change under its recorded event
    # 3. The next retry republishes the very same event, same checkedOutAt.
    monkeypatch.setattr(publisher, "publish", real)
    outcome = check_out(request_, baskets, publisher, catalogue)
    first, last = details(published)
    assert first == last and outcome.accepted.checkoutId == first["checkoutId"]
    with pytest.raises(NotFoundError):
        baskets.get("swn")


def test_a_function_that_died_right_after_publishing_leaves_the_event_as_the_only_one(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    """A Lambda cut off by its timeout after PutEvents: the next attempt cannot know it published."""
    fill(baskets)
    monkeypatch.setattr(publisher, "publish", published_then(publisher, Crash()))
    with pytest.raises(Crash):
        check_out(request_, baskets, publisher, catalogue)
    monkeypatch.setattr(publisher, "publish", raising(PublishError("access denied", certain=True)))
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    assert locked(baskets)  # not unlocked: this attempt did not record the event
    monkeypatch.undo()
    check_out(request_, baskets, publisher, catalogue)
    first, again = details(published)
    assert first == again


def test_the_recording_attempt_refused_for_sure_does_not_unlock_a_checkout_another_attempt_took_over(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    """Two attempts at once: B takes over A's recorded event and publishes it (its removal fails);
    A's own PutEvents is then refused for sure. A must not unlock: B's event is on the bus."""
    fill(baskets)
    real = publisher.publish

    other = type(baskets)(baskets._client, baskets._table)  # attempt B's own repository and publisher
    monkeypatch.setattr(other, "remove_checked_out", raising(UnavailableError("busy")))
    other_publisher = EventPublisher(clients.client("events"), BUS)

    def refused_after_b_published(checkout):
        assert check_out(request_, other, other_publisher, catalogue).basket_removed is False
        raise PublishError("throttled", certain=True)

    monkeypatch.setattr(publisher, "publish", refused_after_b_published)
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    assert locked(baskets)
    monkeypatch.setattr(publisher, "publish", real)
    check_out(request_, baskets, publisher, catalogue)
    (by_b,) = [d for d in details(published)][:1]
    assert details(published) == [by_b, by_b]


def test_the_recording_attempt_unlocks_after_a_certain_refusal_and_a_new_event_follows(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(publisher, "publish", raising(PublishError("access denied", certain=True)))
    with pytest.raises(CheckoutNotSent) as refused:
        check_out(request_, baskets, publisher, catalogue)
    assert not locked(baskets)
    monkeypatch.undo()
    fill(baskets, quantity=5)
    check_out(request_, baskets, publisher, catalogue)
    (event,) = details(published)  # nothing was published before: the new basket is the only event
    assert event["checkoutId"] == refused.value.checkout_id and event["items"][0]["quantity"] == 5


def test_a_recording_whose_answer_was_lost_is_still_this_attempts_to_unlock(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(publisher, "publish", raising(PublishError("access denied", certain=True)))
    with faults.injected(faults.LOST_ANSWER), pytest.raises(CheckoutNotSent):
        check_out(
            request_, baskets, publisher, catalogue
        )  # every DynamoDB write applied, its answer lost once
    basket = baskets.get("swn")
    assert basket.pendingCheckout is None and basket.checkoutId is not None


# The publisher: refused for sure only when every try of the PutEvents call was refused.

THROTTLED = faults.EVENTS_FAULTS[0]
PUBLISHED_THROTTLED = next(f for f in faults.EVENTS_FAULTS if f.name == "bus-published-throttled")
PUBLISHED_TIMEOUT = next(f for f in faults.EVENTS_FAULTS if f.name == "bus-published-timeout")


@pytest.mark.parametrize(
    ("fault", "certain", "events"),
    [(THROTTLED, True, 0), (PUBLISHED_THROTTLED, False, 1), (PUBLISHED_TIMEOUT, False, 2)],
    ids=lambda v: v.name if isinstance(v, faults.Fault) else str(v),
)
def test_a_refusal_is_certain_only_when_every_try_was_refused(
    baskets, publisher, published, request_, catalogue, fault, certain, events
):
    fill(baskets)
    with faults.injected(fault) as injector, pytest.raises(CheckoutNotSent) as caught:
        check_out(request_, baskets, publisher, catalogue)
    assert injector.attempts == 2 and len(published.all()) == events
    assert isinstance(caught.value.__cause__, PublishError) and caught.value.__cause__.certain is certain
    assert locked(baskets) is not certain


def test_a_successful_call_after_an_uncertain_one_starts_afresh(
    baskets, publisher, published, request_, catalogue
):
    """The publisher's memory of a try that may have published is per call."""
    fill(baskets)
    with faults.injected(PUBLISHED_TIMEOUT), pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    with faults.injected(THROTTLED), pytest.raises(PublishError) as caught:
        publisher.publish(baskets.get("swn").pendingCheckout)
    assert caught.value.certain


def test_a_timeout_reported_by_botocore_is_never_certain(publisher, monkeypatch):
    monkeypatch.setattr(publisher._client, "put_events", raising(ReadTimeoutError(endpoint_url="e")))
    from basket.models import CheckoutBasket
    from tests.basket.test_models import CHECKOUT, LINE

    checkout = CheckoutBasket(
        checkoutId="0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21",
        items=[LINE],
        totalPrice=LINE["price"] * LINE["quantity"],
        checkedOutAt="2026-11-26T10:15:30.123Z",
        **CHECKOUT,
    )
    with pytest.raises(PublishError) as caught:
        publisher.publish(checkout)
    assert not caught.value.certain
