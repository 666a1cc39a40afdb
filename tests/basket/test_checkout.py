"""Checkout under faults: each step fails in turn, and no checkout is lost or made twice.

The repository and the publisher are the real ones on moto; faults are injected around them.
"""

from datetime import UTC, datetime
from decimal import Decimal

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from basket.checkout import CheckoutNotSent, PublishError, check_out
from basket.models import BasketItem, CheckoutRequest
from basket.publisher import EventPublisher
from basket.repository import BasketRepository
from shop_common.errors import ConflictError, NotFoundError, UnavailableError
from tests.basket.conftest import BUS, TABLE
from tests.basket.test_models import CHECKOUT, LINE


class Crash(BaseException):
    """The process dies here: nothing after this point runs."""


def raising(error: BaseException):
    def fail(*_, **__):
        raise error

    return fail


@pytest.fixture
def baskets(aws):
    return BasketRepository(boto3.client("dynamodb"), TABLE)


@pytest.fixture
def publisher(published):
    return EventPublisher(boto3.client("events"), BUS)


@pytest.fixture
def request_():
    return CheckoutRequest.model_validate(CHECKOUT)


def fill(baskets, quantity=2):
    return baskets.save("swn", [BasketItem(**{**LINE, "quantity": quantity})])


def checkout_ids(published) -> list[str]:
    return [event["detail"]["checkoutId"] for event in published.all()]


def test_a_checkout_publishes_once_and_removes_the_basket(baskets, publisher, published, request_, catalogue):
    fill(baskets)
    outcome = check_out(request_, baskets, publisher, catalogue)
    assert outcome.accepted.totalPrice == Decimal("1901.00") and outcome.basket_removed
    assert checkout_ids(published) == [outcome.accepted.checkoutId]
    with pytest.raises(NotFoundError):
        baskets.get("swn")


def test_no_basket_is_not_found_and_publishes_nothing(baskets, publisher, published, request_, catalogue):
    with pytest.raises(NotFoundError):
        check_out(request_, baskets, publisher, catalogue)
    assert published.all() == []


def test_an_empty_basket_is_a_conflict_and_stays_unlocked(baskets, publisher, published, request_, catalogue):
    baskets.save("swn", [])
    with pytest.raises(ConflictError, match="empty"):
        check_out(request_, baskets, publisher, catalogue)
    assert published.all() == [] and baskets.get("swn").checkoutId is None


REFUSED = {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "try later"}]}


@pytest.mark.parametrize(
    ("failure", "locked"),
    [
        (REFUSED, False),
        (
            ClientError(
                {"Error": {"Code": "AccessDeniedException"}, "ResponseMetadata": {"HTTPStatusCode": 400}},
                "PutEvents",
            ),
            False,
        ),
        (
            ClientError(
                {"Error": {"Code": "InternalException"}, "ResponseMetadata": {"HTTPStatusCode": 500}},
                "PutEvents",
            ),
            True,
        ),
        (EndpointConnectionError(endpoint_url="https://events"), True),
    ],
    ids=["failed-entry", "refused-4xx", "server-error-5xx", "no-answer"],
)
def test_a_publish_failure_keeps_the_basket_and_the_retry_reuses_the_checkout_id(
    baskets, publisher, published, request_, catalogue, monkeypatch, failure, locked
):
    fill(baskets)
    real_put_events = publisher._client.put_events
    failing = (lambda **_: failure) if isinstance(failure, dict) else raising(failure)
    monkeypatch.setattr(publisher._client, "put_events", failing)
    with pytest.raises(CheckoutNotSent) as caught:
        check_out(request_, baskets, publisher, catalogue)
    kept = baskets.get("swn")
    assert [item.quantity for item in kept.items] == [2] and kept.checkoutId == caught.value.checkout_id
    assert caught.value.checkout_id in str(caught.value)
    # Refused for sure: unlocked. Maybe taken: locked, so that the retry sends the same event.
    assert (kept.pendingCheckout is not None) == locked
    assert published.all() == []

    monkeypatch.setattr(publisher._client, "put_events", real_put_events)
    outcome = check_out(request_, baskets, publisher, catalogue)
    assert outcome.accepted.checkoutId == kept.checkoutId
    assert checkout_ids(published) == [kept.checkoutId]
    with pytest.raises(NotFoundError):
        baskets.get("swn")


def test_after_a_refused_publish_the_basket_can_change_and_keeps_its_checkout_id(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(publisher._client, "put_events", lambda **_: REFUSED)
    with pytest.raises(CheckoutNotSent) as caught:
        check_out(request_, baskets, publisher, catalogue)
    monkeypatch.undo()
    fill(baskets, quantity=5)  # allowed: nothing was published
    outcome = check_out(request_.model_copy(update={"address": "Elsewhere"}), baskets, publisher, catalogue)
    assert outcome.accepted.checkoutId == caught.value.checkout_id
    (event,) = published.all()
    assert event["detail"]["items"][0]["quantity"] == 5 and event["detail"]["address"] == "Elsewhere"


def test_a_crash_before_publishing_is_finished_by_the_next_call(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    real_publish = publisher.publish
    monkeypatch.setattr(publisher, "publish", raising(Crash()))
    with pytest.raises(Crash):
        check_out(request_, baskets, publisher, catalogue)
    recorded = baskets.get("swn").checkoutId

    monkeypatch.setattr(publisher, "publish", real_publish)
    assert check_out(request_, baskets, publisher, catalogue).accepted.checkoutId == recorded
    assert checkout_ids(published) == [recorded]


def test_a_crash_after_publishing_republishes_the_same_checkout_not_a_new_one(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    real_remove = baskets.remove_checked_out
    monkeypatch.setattr(baskets, "remove_checked_out", raising(Crash()))
    with pytest.raises(Crash):
        check_out(request_, baskets, publisher, catalogue)
    first = checkout_ids(published)
    assert len(first) == 1 and baskets.get("swn").checkoutId == first[0]

    monkeypatch.setattr(baskets, "remove_checked_out", real_remove)
    outcome = check_out(request_, baskets, publisher, catalogue)
    # The same checkout twice: the order service makes one order of it.
    assert outcome.accepted.checkoutId == first[0]
    assert checkout_ids(published) == [first[0], first[0]]
    events = published.all()
    assert events[0]["detail"] == events[1]["detail"]
    with pytest.raises(NotFoundError):
        baskets.get("swn")


def test_a_failed_removal_after_publishing_is_still_accepted(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(baskets, "remove_checked_out", raising(UnavailableError("busy")))
    outcome = check_out(request_, baskets, publisher, catalogue)
    assert not outcome.basket_removed
    assert baskets.get("swn").checkoutId == outcome.accepted.checkoutId


def test_a_locked_basket_cannot_be_replaced_until_the_checkout_completes(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(publisher, "publish", raising(PublishError("timed out", certain=False)))
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    with pytest.raises(ConflictError, match="in progress"):
        fill(baskets, quantity=5)


def test_a_retry_with_other_details_is_a_conflict(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets)
    monkeypatch.setattr(publisher, "publish", raising(PublishError("timed out", certain=False)))
    with pytest.raises(CheckoutNotSent):
        check_out(request_, baskets, publisher, catalogue)
    monkeypatch.undo()
    other = request_.model_copy(update={"address": "Elsewhere"})
    with pytest.raises(ConflictError, match="other details"):
        check_out(other, baskets, publisher, catalogue)
    assert published.all() == []


def test_a_basket_replaced_during_checkout_is_read_again(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets, quantity=2)
    real_record = baskets.record_checkout
    replaced = []

    def replace_first(basket, checkout):
        if not replaced:  # another request replaces the basket between our read and our write
            replaced.append(fill(baskets, quantity=7))
        return real_record(basket, checkout)

    monkeypatch.setattr(baskets, "record_checkout", replace_first)
    outcome = check_out(request_, baskets, publisher, catalogue)
    assert outcome.accepted.totalPrice == Decimal("950.50") * 7
    assert [e["detail"]["items"][0]["quantity"] for e in published.all()] == [7]


def test_a_basket_deleted_and_made_again_during_checkout_is_read_again(
    baskets, publisher, published, request_, catalogue, monkeypatch
):
    fill(baskets, quantity=1)
    real_record = baskets.record_checkout
    remade = []

    def delete_and_remake_first(basket, checkout):
        if not remade:  # between our read and our write, the basket is deleted and made again
            baskets.delete("swn")
            remade.append(fill(baskets, quantity=5))
        return real_record(basket, checkout)

    monkeypatch.setattr(baskets, "record_checkout", delete_and_remake_first)
    outcome = check_out(request_, baskets, publisher, catalogue)
    assert outcome.accepted.totalPrice == Decimal("950.50") * 5
    assert [e["detail"]["items"][0]["quantity"] for e in published.all()] == [5]


def test_the_event_carries_the_basket_and_the_time_of_checkout(
    baskets, publisher, published, request_, catalogue
):
    fill(baskets)
    moment = datetime(2026, 11, 26, 10, 15, 30, 123456, tzinfo=UTC)
    check_out(
        request_,
        baskets,
        publisher,
        catalogue,
        new_id=lambda: "0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21",
        now=lambda: moment,
    )
    (event,) = published.all()
    assert event["source"] == "shop.basket" and event["detail-type"] == "CheckoutBasket"
    assert event["detail"] == {
        "checkoutId": "0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21",
        "userName": "swn",
        "items": [{"productId": "p1", "productName": "IPhone", "price": 950.5, "quantity": 2}],
        "totalPrice": 1901.0,
        "checkedOutAt": "2026-11-26T10:15:30.123Z",
        **{k: v for k, v in CHECKOUT.items() if k != "userName"},
    }
