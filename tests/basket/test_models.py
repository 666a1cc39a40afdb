from decimal import Decimal

import pytest
from pydantic import ValidationError

from basket.models import Basket, BasketItem, BasketUpdate, CheckoutRequest

# A basket line as stored and answered (priced from the catalogue), and as a client sends it.
LINE = {"productId": "p1", "productName": "IPhone", "price": Decimal("950.50"), "quantity": 2}
SENT = {"productId": "p1", "quantity": 2}
CHECKOUT = {
    "userName": "swn",
    "firstName": "Mehmet",
    "lastName": "Ozkaya",
    "email": "m@example.com",
    "address": "Istanbul",
    "paymentMethod": "card",
}


def errors_of(model, data) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(map(str, e["loc"])): e["msg"] for e in caught.value.errors()}


def test_total_is_price_times_quantity_in_decimal():
    items = [
        BasketItem(**LINE),
        BasketItem(**{**LINE, "productId": "p2", "price": Decimal("0.10"), "quantity": 3}),
    ]
    assert Basket(userName="swn", items=items).totalPrice == Decimal("1901.30")


def test_an_empty_basket_totals_zero():
    assert Basket(userName="swn", items=[]).totalPrice == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1000}, "quantity"),
        ({"quantity": "2"}, "quantity"),
        ({"quantity": Decimal("2.5")}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"price": "950.50"}, "price"),
        ({"price": Decimal("-1")}, "price"),
        ({"price": Decimal("0.001")}, "price"),
        ({"productId": ""}, "productId"),
        ({"color": ""}, "color"),
        ({"totalPrice": 5}, "totalPrice"),
        # Name and price come from the catalogue: a client cannot name a product.
        ({"productName": "Cheap"}, "productName"),
    ],
)
def test_invalid_lines_name_the_field(change, field):
    assert f"items.0.{field}" in errors_of(BasketUpdate, {"userName": "swn", "items": [{**SENT, **change}]})


def test_a_line_needs_only_a_product_and_a_quantity():
    (line,) = BasketUpdate.model_validate({"userName": "swn", "items": [SENT]}).items
    assert (line.productId, line.quantity, line.color, line.price) == ("p1", 2, None, None)
    assert "items.0.quantity" in errors_of(BasketUpdate, {"userName": "swn", "items": [{"productId": "p1"}]})


def test_at_most_100_lines():
    items = [{**SENT, "productId": f"p{i}"} for i in range(101)]
    assert "items" in errors_of(BasketUpdate, {"userName": "swn", "items": items})


def test_a_product_may_repeat_only_in_another_color():
    red, blue = {**SENT, "color": "red"}, {**SENT, "color": "blue"}
    assert len(BasketUpdate.model_validate({"userName": "swn", "items": [red, blue]}).items) == 2
    errors = errors_of(BasketUpdate, {"userName": "swn", "items": [red, SENT, {**red, "quantity": 1}]})
    assert "p1 (red)" in errors["items"]


@pytest.mark.parametrize("user", ["", "a b", "x" * 65, "semi;colon"])
def test_user_names_are_bounded_and_plain(user):
    assert "userName" in errors_of(BasketUpdate, {"userName": user, "items": []})


def test_checkout_refuses_card_data_and_bad_emails():
    errors = errors_of(
        CheckoutRequest, {**CHECKOUT, "email": "nope", "cardInfo": {"number": "4111111111111111"}}
    )
    assert set(errors) == {"email", "cardInfo"}


@pytest.mark.parametrize("field", ["firstName", "lastName", "address", "paymentMethod"])
def test_checkout_needs_non_blank_details(field):
    assert field in errors_of(CheckoutRequest, {**CHECKOUT, field: "  "})
