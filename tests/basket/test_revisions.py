"""Optimistic concurrency on baskets: the revision is the ETag; If-Match on POST /basket and
DELETE makes a stale write a 412 instead of a silent overwrite. Checkout keeps its own rules."""

import pytest

from basket.checkout import PublishError
from basket.models import BasketItem
from basket.repository import BasketRepository
from scripts import faults
from shop_common import clients
from shop_common.errors import ConflictError
from shop_common.preconditions import IfMatch, VersionMismatch
from tests.basket.conftest import TABLE
from tests.basket.test_checkout import raising
from tests.basket.test_models import CHECKOUT
from tests.helpers import answer as answer_for
from tests.helpers import claims

LINE = {"productId": "p1", "quantity": 2}  # as the client sends it
ITEM = {"productId": "p1", "productName": "IPhone", "price": 950.5, "quantity": 2}  # as stored


def answer(*arguments, **options):
    """The handler's answer to the basket's owner, signed in."""
    return answer_for(*arguments, caller=claims("swn"), **options)


def save(handler, items, etag=None, user="swn"):
    headers = {"If-Match": etag} if etag is not None else None
    return answer(handler, "POST", "/basket", {"userName": user, "items": items}, headers=headers)


def test_the_revision_is_the_etag_and_each_write_renews_it(handler):
    first = save(handler, [LINE])
    assert first.status == 200 and first.headers["ETag"].startswith('"') and "revision" not in first.body
    assert answer(handler, "GET", "/basket/swn").headers["ETag"] == first.headers["ETag"]
    second = save(handler, [], first.headers["ETag"])
    assert second.status == 200 and second.headers["ETag"] != first.headers["ETag"]


def test_a_stale_replacement_is_412_and_changes_nothing(handler):
    first = save(handler, [LINE])
    save(handler, [{**LINE, "quantity": 5}], first.headers["ETag"])
    stale = save(handler, [], first.headers["ETag"])
    assert stale.status == 412 and "If-Match" in stale.body["message"]
    assert stale.body["errors"][0]["field"] == "If-Match"
    assert answer(handler, "GET", "/basket/swn").body["items"][0]["quantity"] == 5


def test_if_match_on_a_missing_basket_is_412_and_creates_nothing(handler):
    for etag in ('"abc"', "*"):
        response = save(handler, [LINE], etag)
        assert response.status == 412 and "no basket" in response.body["message"]
    assert answer(handler, "GET", "/basket/swn").status == 404
    assert save(handler, [LINE], None).status == 200  # no If-Match: made


def test_star_replaces_whatever_revision_and_a_malformed_header_is_400(handler):
    save(handler, [LINE])
    assert save(handler, [], "*").status == 200
    bad = save(handler, [], "abc")
    assert bad.status == 400 and bad.body["errors"][0]["field"] == "If-Match"


def test_a_stale_delete_is_412_and_a_current_one_deletes(handler):
    first = save(handler, [LINE])
    second = save(handler, [LINE], first.headers["ETag"])
    assert answer(handler, "DELETE", "/basket/swn", headers={"If-Match": first.headers["ETag"]}).status == 412
    assert (
        answer(handler, "DELETE", "/basket/swn", headers={"If-Match": second.headers["ETag"]}).status == 204
    )
    assert (
        answer(handler, "DELETE", "/basket/swn", headers={"If-Match": second.headers["ETag"]}).status == 404
    )


def test_a_checkout_attempt_changes_the_etag_and_a_locked_basket_stays_locked(handler, monkeypatch):
    first = save(handler, [LINE])
    # The bus times out: the outcome is unknown, so the basket stays locked with its checkoutId.
    monkeypatch.setattr(handler.publisher, "publish", raising(PublishError("timed out", certain=False)))
    assert answer(handler, "POST", "/basket/checkout", CHECKOUT).status == 503
    locked = answer(handler, "GET", "/basket/swn")
    assert locked.headers["ETag"] != first.headers["ETag"] and locked.body["checkoutId"]
    assert save(handler, [], first.headers["ETag"]).status == 412  # stale: it shows a checkoutId now
    assert save(handler, [], locked.headers["ETag"]).status == 409  # current, but locked
    monkeypatch.undo()
    assert answer(handler, "POST", "/basket/checkout", CHECKOUT).status == 202


@pytest.fixture
def baskets(aws):
    return BasketRepository(clients.client("dynamodb"), TABLE)


LOST = faults.LOST_ANSWER  # applied, then its answer lost (once per call)


def test_a_replacement_whose_answer_was_lost_is_answered_as_done(baskets):
    first = baskets.save("swn", [])
    items = [BasketItem(**ITEM)]
    with faults.injected(LOST) as injector:
        saved = baskets.save("swn", items, IfMatch(tags=frozenset({first.revision})))
    assert injector.attempts == 2 and saved.items == items
    assert baskets.get("swn").revision == saved.revision
    with pytest.raises(VersionMismatch):
        baskets.save("swn", items, IfMatch(tags=frozenset({first.revision})))


def test_a_repricing_whose_answer_was_lost_is_answered_as_done_not_as_a_conflict(baskets):
    basket = baskets.save("swn", [BasketItem(**ITEM)])
    repriced = [BasketItem(**{**ITEM, "price": 899.99})]
    with faults.injected(LOST) as injector:
        baskets.replace_items(basket, repriced)  # no ConflictError: the retry met its own write
    assert injector.attempts == 2
    stored = baskets.get("swn")
    assert stored.items == repriced and stored.revision != basket.revision
    with pytest.raises(ConflictError):
        baskets.replace_items(basket, repriced)  # the basket as read is gone: a real conflict
