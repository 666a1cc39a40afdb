"""Checkout prices the basket again from the catalogue: a changed price or a product gone since the
basket was saved is a 409 naming each such line, and the basket shows the catalogue's prices
afterwards, so that the retry charges what the customer now sees."""

from functools import partial

import boto3

from basket.checkout import PublishError
from tests import helpers
from tests.basket.conftest import CATALOGUE_TABLE
from tests.basket.test_checkout import raising
from tests.basket.test_models import CHECKOUT
from tests.helpers import claims

call = partial(helpers.call, caller=claims("swn"))
answer = partial(helpers.answer, caller=claims("swn"))


def fill(handler, catalogue, *products):
    for product_id, price in products:
        if product_id != "p1":
            catalogue.offer(product_id, product_id.upper(), price)
    lines = [{"productId": product_id, "quantity": 2} for product_id, _ in products]
    return answer(handler, "POST", "/basket", {"userName": "swn", "items": lines})


def test_a_raised_price_is_409_then_the_retry_charges_it(handler, catalogue, published):
    saved = fill(handler, catalogue, ("p1", "950.50"), ("p2", "5.00"))
    catalogue.offer("p1", "IPhone", "999.00")
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 409
    assert body["errors"] == [
        {"field": "items[0].price", "message": "product p1 costs 999.00 now, not 950.50"}
    ]
    assert published.all() == []
    repriced = answer(handler, "GET", "/basket/swn")
    assert [i["price"] for i in repriced.body["items"]] == [999.0, 5.0] and repriced.body[
        "totalPrice"
    ] == 2008.0
    assert repriced.headers["ETag"] != saved.headers["ETag"]  # the basket changed

    status, accepted = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 202 and accepted["totalPrice"] == 2008.0
    (event,) = published.all()
    assert [i["price"] for i in event["detail"]["items"]] == [999.0, 5.0]
    assert event["detail"]["totalPrice"] == 2008.0


def test_a_deleted_product_is_409_and_its_line_goes(handler, catalogue, published):
    fill(handler, catalogue, ("p1", "950.50"), ("p2", "5.00"))
    catalogue.withdraw("p2")
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 409
    assert body["errors"] == [
        {"field": "items[1]", "message": "product p2 is no longer sold; the line was removed"}
    ]
    assert [i["productId"] for i in call(handler, "GET", "/basket/swn")[1]["items"]] == ["p1"]
    status, accepted = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 202 and accepted["totalPrice"] == 1901.0


def test_every_changed_line_is_named_at_once(handler, catalogue, published):
    fill(handler, catalogue, ("p1", "950.50"), ("p2", "5.00"), ("p3", "1.00"))
    catalogue.offer("p1", "IPhone", "900.00")  # cheaper: still a change the customer sees
    catalogue.withdraw("p3")
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 409 and [e["field"] for e in body["errors"]] == ["items[0].price", "items[2]"]
    assert "items[0]" in body["message"] and "items[2]" in body["message"]


def test_a_product_the_catalogue_lost_keeps_its_line_and_is_409_until_it_is_back(
    handler, catalogue, published
):
    fill(handler, catalogue, ("p1", "950.50"))
    boto3.client("dynamodb").delete_item(TableName=CATALOGUE_TABLE, Key={"productId": {"S": "p1"}})
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert (
        status == 409
        and body["errors"][0]["field"] == "items[0]"
        and "not in the catalogue" in body["message"]
    )
    assert call(handler, "GET", "/basket/swn")[1]["items"][0]["productId"] == "p1"  # kept
    catalogue.offer("p1", "IPhone", "950.50")  # rebuilt (make replay-catalogue)
    assert call(handler, "POST", "/basket/checkout", CHECKOUT)[0] == 202


def test_a_new_name_alone_is_no_conflict_and_the_event_carries_it(handler, catalogue, published):
    fill(handler, catalogue, ("p1", "950.50"))
    catalogue.offer("p1", "IPhone X", "950.50")
    assert call(handler, "POST", "/basket/checkout", CHECKOUT)[0] == 202
    (event,) = published.all()
    assert event["detail"]["items"][0]["productName"] == "IPhone X"


def test_a_checkout_in_progress_republishes_its_event_unpriced(handler, catalogue, published, monkeypatch):
    fill(handler, catalogue, ("p1", "950.50"))
    monkeypatch.setattr(handler.publisher, "publish", raising(PublishError("timed out", certain=False)))
    assert call(handler, "POST", "/basket/checkout", CHECKOUT)[0] == 503  # recorded, maybe published
    monkeypatch.undo()
    catalogue.offer("p1", "IPhone", "999.00")
    reads = []
    monkeypatch.setattr(handler.catalogue, "entries", lambda ids: reads.append(ids) or {})
    status, accepted = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 202 and accepted["totalPrice"] == 1901.0 and reads == []
    (event,) = published.all()
    assert event["detail"]["items"][0]["price"] == 950.5


def test_a_basket_changed_while_repricing_is_read_again(handler, catalogue, published, monkeypatch):
    fill(handler, catalogue, ("p1", "950.50"))
    catalogue.offer("p1", "IPhone", "999.00")
    real_replace = handler.repository.replace_items
    changed = []

    def replace_after_another_write(basket, items):
        if not changed:  # another request saves the basket between our read and our write
            changed.append(
                call(
                    handler,
                    "POST",
                    "/basket",
                    {"userName": "swn", "items": [{"productId": "p1", "quantity": 1}]},
                )
            )
        return real_replace(basket, items)

    monkeypatch.setattr(handler.repository, "replace_items", replace_after_another_write)
    # Read again: the new basket is at the current price already, so nothing changed for it.
    status, accepted = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 202 and accepted["totalPrice"] == 999.0
