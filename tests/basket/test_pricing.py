"""POST /basket prices each line from the catalogue replica: the client names products, never prices."""

from decimal import Decimal
from functools import partial

import pytest

from basket.catalogue import PricesDiffer, UnknownProducts, price_lines
from basket.models import BasketLine
from tests import helpers
from tests.helpers import claims

call = partial(helpers.call, caller=claims("swn"))


def save(handler, *lines):
    return call(handler, "POST", "/basket", {"userName": "swn", "items": list(lines)})


def test_name_and_price_come_from_the_catalogue(handler, catalogue):
    catalogue.offer("p2", "Cable", "0.10")
    status, basket = save(handler, {"productId": "p1", "quantity": 2}, {"productId": "p2", "quantity": 3})
    assert status == 200
    assert [(i["productName"], i["price"]) for i in basket["items"]] == [("IPhone", 950.5), ("Cable", 0.1)]
    assert basket["totalPrice"] == 1901.3


def test_the_price_the_client_showed_is_accepted_when_it_is_the_catalogues(handler):
    status, basket = save(handler, {"productId": "p1", "quantity": 1, "price": 950.50})
    assert status == 200 and basket["totalPrice"] == 950.5


def test_a_forged_price_is_409_naming_the_line_and_the_price_and_nothing_is_saved(handler, catalogue):
    catalogue.offer("p2", "Cable", "0.10")
    assert save(handler, {"productId": "p2", "quantity": 1})[0] == 200
    status, body = save(
        handler,
        {"productId": "p2", "quantity": 1, "price": 0.1},
        {"productId": "p1", "quantity": 2, "price": 0.01},
    )
    assert status == 409
    assert body["errors"] == [{"field": "items[1].price", "message": "product p1 costs 950.50, not 0.01"}]
    assert "items[1]" in body["message"] and "950.50" in body["message"]
    assert [i["productId"] for i in call(handler, "GET", "/basket/swn")[1]["items"]] == ["p2"]  # unchanged


def test_an_unknown_product_is_400_naming_the_line_and_nothing_is_saved(handler):
    status, body = save(
        handler, {"productId": "p1", "quantity": 1}, {"productId": "does-not-exist", "quantity": 1}
    )
    assert status == 400
    assert body["errors"] == [
        {"field": "items[1].productId", "message": "product does-not-exist is not in the catalogue"}
    ]
    assert call(handler, "GET", "/basket/swn")[0] == 404


def test_a_deleted_product_is_400_naming_the_line(handler, catalogue):
    catalogue.offer("gone", "Old phone", "10")
    catalogue.withdraw("gone")
    status, body = save(handler, {"productId": "gone", "quantity": 1, "price": 10})
    assert status == 400 and body["errors"] == [
        {"field": "items[0].productId", "message": "product gone has been deleted"}
    ]


def test_a_new_price_applies_to_the_next_save(handler, catalogue):
    save(handler, {"productId": "p1", "quantity": 1})
    catalogue.offer("p1", "IPhone", "999.99")
    assert save(handler, {"productId": "p1", "quantity": 1})[1]["totalPrice"] == 999.99
    assert save(handler, {"productId": "p1", "quantity": 1, "price": 950.5})[0] == 409


def test_an_empty_basket_reads_no_catalogue(catalogue, monkeypatch):
    monkeypatch.setattr(catalogue, "entries", lambda _: pytest.fail("read the catalogue"))
    assert price_lines([], catalogue) == []


def test_the_rule_reads_each_product_once(catalogue):
    lines = [BasketLine(productId="p1", quantity=1, color=color) for color in ("red", "blue")]
    asked = []
    real = catalogue.entries
    catalogue.entries = lambda ids: asked.append(sorted(ids)) or real(ids)
    items = price_lines(lines, catalogue)
    assert asked == [["p1"]] and [i.price for i in items] == [Decimal("950.50")] * 2


def test_unknown_products_come_before_price_differences(catalogue):
    lines = [BasketLine(productId="p1", quantity=1, price=Decimal(1)), BasketLine(productId="x", quantity=1)]
    with pytest.raises(UnknownProducts):
        price_lines(lines, catalogue)
    with pytest.raises(PricesDiffer):
        price_lines(lines[:1], catalogue)
