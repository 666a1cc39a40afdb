"""Checkout: a basket becomes exactly one CheckoutBasket event, whatever fails on the way.

Each step is safe to repeat:
0. reprice the basket from the catalogue (basket.catalogue): if a price changed or a product is
   gone since it was saved, the basket is saved as repriced and the checkout refused (409), so
   the retry charges what the customer now sees; otherwise the event carries those prices;
1. record the checkout (its checkoutId, kept for the basket's lifetime, and the event itself)
   on the basket as it was read, which locks it;
2. publish the event;
3. remove the basket, only while it still holds this checkout.

The rule that makes one event per checkout: once an event is recorded, it is the only event
that checkout may ever publish, unless the attempt that recorded it knows for sure that nobody
published it. That attempt alone may unlock the basket, and only when EventBridge certainly
refused its own publication (every try of the call answered with a refusal; see
basket.publisher). Any other attempt that finds a recorded event cannot know whether an earlier
attempt reached the bus: that attempt may have timed out, crashed or been cut off by the
Lambda timeout right after PutEvents was sent, or may still be running. So it first takes the
checkout over (which renews the basket's revision, so that the recording attempt, should it
still be running, can no longer unlock it), then republishes the identical event (same
checkedOutAt, same lines), and never unlocks the basket, whatever EventBridge answers. The
basket stays locked (POST /basket: 409) until a retry gets the event accepted, or the basket
is deleted.

So: an outcome that is unknown (a timeout, a 5xx, a lost answer) leaves the basket locked with
its event, and every later attempt republishes that same event; a certain refusal at the
recording attempt unlocks the basket, as if the checkout had not been tried (it keeps its
checkoutId, and a later checkout records a new event, which is safe as none was published).
A crash between 2 and 3 leaves a locked basket: the next call publishes the same event again
(the order service makes one order per checkoutId) and removes the basket.
"""

import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from basket.catalogue import Catalogue, PricesChanged, reprice
from basket.models import Basket, BasketItem, CheckoutAccepted, CheckoutBasket, CheckoutRequest
from shop_common.errors import ConflictError, UnavailableError
from shop_common.times import utc_millis

_ATTEMPTS = 2  # a concurrent change of the basket makes us read it once more


class Baskets(Protocol):
    def get(self, user_name: str) -> Basket: ...
    def record_checkout(self, basket: Basket, checkout: CheckoutBasket) -> str:
        """Locks the basket to `checkout`; returns the lock. ConflictError if the basket changed."""

    def replace_items(self, basket: Basket, items: Sequence[BasketItem]) -> None:
        """Saves the basket repriced, if it is still as read; ConflictError otherwise."""

    def keep_checkout(self, user_name: str, checkout_id: str) -> None:
        """Takes the recorded checkout over: its recorder can no longer release it."""

    def release_checkout(self, user_name: str, checkout_id: str, lock: str) -> None:
        """Unlocks the basket if it still holds `lock`."""

    def remove_checked_out(self, user_name: str, checkout_id: str) -> None: ...


class PublishError(Exception):
    """The bus did not take the event. `certain`: it certainly did not (refused, not timed out)."""

    def __init__(self, reason: str, certain: bool):
        super().__init__(reason)
        self.reason = reason
        self.certain = certain


class Publisher(Protocol):
    def publish(self, checkout: CheckoutBasket) -> None:
        """Raises PublishError unless the event was accepted."""


class CheckoutNotSent(UnavailableError):
    def __init__(self, checkout_id: str, reason: str):
        super().__init__(f"Checkout {checkout_id} could not be sent; the basket is kept. Retry the checkout")
        self.checkout_id = checkout_id
        self.reason = reason  # for logs; not shown to clients


@dataclass(frozen=True)
class CheckoutOutcome:
    accepted: CheckoutAccepted
    basket_removed: bool  # False: published, but the basket stays locked until the next call


@dataclass(frozen=True)
class RecordedCheckout:
    checkout: CheckoutBasket
    lock: str | None  # this attempt recorded it and holds this lock; None: taken over


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
    catalogue: Catalogue,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CheckoutOutcome:
    recorded = _recorded_checkout(request, baskets, catalogue, new_id, now)
    checkout = recorded.checkout
    try:
        publisher.publish(checkout)
    except PublishError as error:
        # Unlocked only by the attempt that recorded the event, when nobody can have published it.
        if error.certain and recorded.lock is not None:
            with suppress(UnavailableError):  # if this fails too, the basket stays locked: still safe
                baskets.release_checkout(checkout.userName, checkout.checkoutId, recorded.lock)
        raise CheckoutNotSent(checkout.checkoutId, error.reason) from error
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
    request: CheckoutRequest,
    baskets: Baskets,
    catalogue: Catalogue,
    new_id: Callable[[], str],
    now: Callable[[], datetime],
) -> RecordedCheckout:
    """The checkout recorded on the basket: the one in progress, taken over (as recorded: it is
    not priced again), or a new one at the catalogue's prices."""
    for _ in range(_ATTEMPTS):
        basket = baskets.get(request.userName)
        pending = basket.pendingCheckout
        if pending is not None:
            if not pending.has_details_of(request):
                raise ConflictError(
                    f"Checkout {pending.checkoutId} of this basket, with other details, is in progress: "
                    "retry it with the same details, or delete the basket"
                )
            try:
                baskets.keep_checkout(pending.userName, pending.checkoutId)
            except ConflictError:
                continue  # unlocked or removed since we read it
            return RecordedCheckout(pending, lock=None)
        repriced = reprice(basket.items, catalogue)
        if repriced.changes:
            if repriced.items != basket.items:
                try:
                    baskets.replace_items(basket, repriced.items)
                except ConflictError:
                    continue  # the basket changed since we read it
            raise PricesChanged(repriced.changes)
        basket = basket.model_copy(update={"items": repriced.items})
        checkout = new_checkout(basket, request, basket.checkoutId or new_id(), now())
        try:
            return RecordedCheckout(checkout, baskets.record_checkout(basket, checkout))
        except ConflictError:
            continue  # the basket changed since we read it
    raise ConflictError("The basket changed during checkout; retry")
