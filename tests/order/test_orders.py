from decimal import Decimal

import pytest

from order.models import CheckoutBasketDetail
from order.orders import DateFilter, InvalidCheckout, date_filter, order_from_checkout, order_key
from shop_common.errors import InvalidInputError
from tests.order.conftest import checkout_event


def detail(**changes) -> CheckoutBasketDetail:
    return CheckoutBasketDetail.model_validate(checkout_event(**changes)["detail"])


def test_the_order_is_the_checkout():
    source = detail()
    order = order_from_checkout(source)
    assert order.orderId == source.checkoutId and order.orderDate == "2026-11-26T10:15:30.123Z"
    assert order.totalPrice == Decimal("2800.99") and len(order.items) == 2


def test_the_order_date_is_normalised_to_utc_milliseconds():
    order = order_from_checkout(detail(checked_out_at="2026-11-26T12:15:30.5+02:00"))
    assert order.orderDate == "2026-11-26T10:15:30.500Z"


def test_a_total_that_is_not_the_sum_breaks_the_contract():
    with pytest.raises(InvalidCheckout, match="totalPrice"):
        order_from_checkout(detail(totalPrice=1))


def test_keys_sort_by_date_and_keep_same_millisecond_orders_apart():
    first, second = order_from_checkout(detail()), order_from_checkout(detail())
    assert first.orderDate == second.orderDate and order_key(first) != order_key(second)
    later = order_from_checkout(detail(checked_out_at="2026-11-26T10:15:30.124Z"))
    assert max(order_key(first), order_key(second)) < order_key(later)


@pytest.mark.parametrize(
    ("order_date", "start", "end", "expected"),
    [
        (None, None, None, DateFilter()),
        ("2026-11-26", None, None, DateFilter(prefix="2026-11-26T")),
        ("2026-11-26T10:15:30.123Z", None, None, DateFilter(prefix="2026-11-26T10:15:30.123Z#")),
        (
            None,
            "2026-11-01",
            "2026-11-30",
            DateFilter(low="2026-11-01T00:00:00.000Z", high="2026-11-30T23:59:59.999Z$"),
        ),
        (None, "2026-11-01T12:00:00+01:00", None, DateFilter(low="2026-11-01T11:00:00.000Z")),
        (None, None, "2026-11-26T10:15:30.123Z", DateFilter(high="2026-11-26T10:15:30.123Z$")),
    ],
)
def test_date_filters(order_date, start, end, expected):
    assert date_filter(order_date, start, end) == expected


@pytest.mark.parametrize(
    ("order_date", "start", "end", "field"),
    [
        ("yesterday", None, None, "orderDate"),
        ("2026-13-40", None, None, "orderDate"),
        (None, "soon", None, "from"),
        (None, None, "2026-11-31", "to"),
        ("2026-11-26", "2026-11-01", None, "orderDate"),
        (None, "2026-11-30", "2026-11-01", "from"),
        (None, "0001-01-01T00:00:00+01:00", None, "from"),
        (None, None, "9999-12-31T23:59:59-01:00", "to"),
    ],
)
def test_bad_date_filters_name_the_parameter(order_date, start, end, field):
    with pytest.raises(InvalidInputError) as caught:
        date_filter(order_date, start, end)
    assert caught.value.errors[0].field == field
