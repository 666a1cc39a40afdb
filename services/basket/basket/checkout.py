"""Checkout: a basket becomes exactly one CheckoutBasket event, whatever fails on the way.

Each step is safe to repeat:
1. record the checkout (a new checkoutId and the event itself) on the basket, which locks it;
2. publish the event; on failure the basket stays as it was, locked to the same checkoutId,
   and the client gets 503: the retry publishes the very same event;
3. remove the basket, only while it still holds this checkout.
A crash between 2 and 3 leaves a locked basket: the next checkout call publishes the same
event again (the order service makes one order per checkoutId) and removes the basket.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from basket.models import Basket, CheckoutAccepted, CheckoutBasket, CheckoutRequest
from shop_common.errors import ConflictError, UnavailableError
from shop_common.times import utc_millis

_ATTEMPTS = 2  # a concurrent change of the basket makes us read it once more


class Baskets(Protocol):
    def get(self, user_name: str) -> Basket: ...
    def record_checkout(self, basket: Basket, checkout: CheckoutBasket) -> None: ...
    def remove_checked_out(self, user_name: str, checkout_id: str) -> None: ...


class Publisher(Protocol):
    def publish(self, checkout: CheckoutBasket) -> None: ...


@dataclass(frozen=True)
class CheckoutOutcome:
    accepted: CheckoutAccepted
    basket_removed: bool  # False: published, but the basket stays locked until the next call


def new_checkout(
    basket: Basket, request: CheckoutRequest, checkout_id: str, moment: datetime
) -> CheckoutBasket:
    if not basket.items:
        raise ConflictError(f"The basket of {basket.userName} is empty")
    return CheckoutBasket(
        checkoutId=checkout_id,
        items=basket.items,
        totalPrice=basket.totalPrice,
        checkedOutAt=utc_millis(moment),
        **request.model_dump(),
    )


def check_out(
    request: CheckoutRequest,
    baskets: Baskets,
    publisher: Publisher,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CheckoutOutcome:
    checkout = _recorded_checkout(request, baskets, new_id, now)
    publisher.publish(checkout)
    try:
        baskets.remove_checked_out(checkout.userName, checkout.checkoutId)
        removed = True
    except UnavailableError:
        removed = False
    accepted = CheckoutAccepted(
        checkoutId=checkout.checkoutId, userName=checkout.userName, totalPrice=checkout.totalPrice
    )
    return CheckoutOutcome(accepted, removed)


def _recorded_checkout(
    request: CheckoutRequest, baskets: Baskets, new_id: Callable[[], str], now: Callable[[], datetime]
) -> CheckoutBasket:
    """The checkout recorded on the basket: the one in progress, or a new one."""
    for _ in range(_ATTEMPTS):
        basket = baskets.get(request.userName)
        pending = basket.pendingCheckout
        if pending is not None:
            if not pending.has_details_of(request):
                raise ConflictError(
                    f"Checkout {pending.checkoutId} of this basket, with other details, is in progress: "
                    "retry it with the same details, or delete the basket"
                )
            return pending
        checkout = new_checkout(basket, request, new_id(), now())
        try:
            baskets.record_checkout(basket, checkout)
            return checkout
        except ConflictError:
            continue  # the basket changed since we read it
    raise ConflictError("The basket changed during checkout; retry")
