"""Order rules: the order a checkout makes (one per checkout), finding one order, and the date
filters of order queries. No AWS."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from order.models import CHECKOUT_ID_PATTERN, CheckoutBasketDetail, Order
from shop_common.errors import FieldError, InvalidInputError, NotFoundError
from shop_common.numbers import total
from shop_common.times import utc_millis

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Sorts after "#" and every character of an id: the upper bound of all keys of one instant.
_AFTER_INSTANT = "$"


class InvalidCheckout(ValueError):
    """The event breaks the contract; its message names fields, never their values."""


class ConflictingCheckout(ValueError):
    """Another event of a checkout that already made an order, which differs from it: the order
    stays as it is, and the event is refused (it ends in the DLQ, for someone to look at)."""


class Orders(Protocol):
    def get(self, order_id: str) -> Order | None: ...


def order_from_checkout(detail: CheckoutBasketDetail) -> Order:
    """The order id is the checkout id and the order date the checkout's time, so every
    delivery of one checkout makes the same order."""
    order = Order(
        orderId=detail.checkoutId,
        orderDate=utc_millis(detail.checkedOutAt),
        **detail.model_dump(
            exclude_none=True,
            include={
                "userName",
                "items",
                "totalPrice",
                "firstName",
                "lastName",
                "email",
                "address",
                "paymentMethod",
            },
        ),
    )
    expected = total(order.items)
    if order.totalPrice != expected:
        raise InvalidCheckout(f"totalPrice {order.totalPrice} is not the sum of price * quantity, {expected}")
    return order


def check_redelivery(stored: Order, order: Order) -> None:
    """`order` was made of an event whose checkout already has the order `stored`: the same
    order (a redelivery) is fine; another one is a ConflictingCheckout."""
    if stored != order:
        differing = sorted(
            name for name in Order.model_fields if getattr(stored, name) != getattr(order, name)
        )
        raise ConflictingCheckout(
            f"checkout {order.orderId} already made an order that differs in: {', '.join(differing)}"
        )


def find(orders: Orders, user_name: str, order_id: str) -> Order:
    """The order `order_id` of `user_name`; NotFoundError while it is not made (or is another's)."""
    if not re.match(CHECKOUT_ID_PATTERN, order_id):  # not echoed: it may be kilobytes of anything
        raise NotFoundError(
            "No such order: orderId is not an order id", [FieldError("orderId", "not an order id")]
        )
    order = orders.get(order_id)
    if order is None or order.userName != user_name:
        raise NotFoundError(
            f"No order {order_id} of {user_name}: an order is made a moment after its checkout is accepted"
        )
    return order


def order_key(order: Order) -> str:
    """The sort key: date first for ranges and newest-first order, then the id, so two
    checkouts of one user in the same millisecond stay two orders."""
    return f"{order.orderDate}#{order.orderId}"


@dataclass(frozen=True)
class DateFilter:
    """Sort-key bounds: keys starting with `prefix`, or between `low` and `high` (inclusive)."""

    prefix: str | None = None
    low: str | None = None
    high: str | None = None


def _instant(value: str, parameter: str) -> str:
    """A date (its first millisecond) or a date-time, as a sort-key prefix in UTC."""
    try:
        return utc_millis(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        message = "must be a date (2026-11-26) or an ISO 8601 date-time (2026-11-26T10:15:30.123Z)"
        raise InvalidInputError(f"{parameter} {message}", [FieldError(parameter, message)]) from None


def _end(value: str, parameter: str) -> str:
    """The last key of a date-time, or of the whole of a day."""
    instant = _instant(value, parameter)
    return (f"{value}T23:59:59.999Z" if _DAY.match(value) else instant) + _AFTER_INSTANT


def date_filter(order_date: str | None, start: str | None, end: str | None) -> DateFilter:
    """orderDate: one day (YYYY-MM-DD) or one exact date-time; from/to: an inclusive range,
    where a day means all of it."""
    if order_date is not None:
        if start is not None or end is not None:
            raise InvalidInputError(
                "orderDate cannot be combined with from or to", [FieldError("orderDate", "not with from/to")]
            )
        instant = _instant(order_date, "orderDate")
        return DateFilter(prefix=f"{order_date}T" if _DAY.match(order_date) else f"{instant}#")
    low = _instant(start, "from") if start is not None else None
    high = _end(end, "to") if end is not None else None
    if low and high and low > high:
        raise InvalidInputError("from must not be after to", [FieldError("from", "after to")])
    return DateFilter(low=low, high=high)
