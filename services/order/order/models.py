"""Order models: the CheckoutBasket event as this service reads it, and the order.

The event models check every constraint of contracts/events/CheckoutBasket.json (types,
lengths, patterns, bounds, required fields, the envelope's source and detail-type), so an
event that breaks the contract makes no order: the consumer refuses it, and it ends in the
queue's DLQ. The one relaxation is the contract's own rule for readers: fields they do not know
are ignored, so that the producer can add fields before its consumers read them.
tests/order/test_contract.py checks both directions against the schema: every example is
read, and each constraint broken in turn is refused.
"""

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from shop_common.numbers import Money, Total, json_integer
from shop_common.text import StoredUserName

CHECKOUT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length)]


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("must not be null")  # the contract's optional fields are strings when present
    return value


# The contract's "format": "email", as draft-04 validators check it: one @ with text on both sides.
Email = Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


class OrderItem(BaseModel):
    """A line of the checkout (the contract's BasketItem), and of the order made of it."""

    productId: _text(64)
    productName: _text(200)
    price: Money
    quantity: Annotated[int, Field(ge=1, le=999), BeforeValidator(json_integer)]
    color: Annotated[_text(50) | None, BeforeValidator(_not_null)] = None


class CheckoutBasketDetail(BaseModel):
    checkoutId: Annotated[str, StringConstraints(pattern=CHECKOUT_ID_PATTERN)]
    userName: StoredUserName
    items: Annotated[list[OrderItem], Field(min_length=1, max_length=100)]
    totalPrice: Total
    firstName: _text(100)
    lastName: _text(100)
    email: Email
    address: _text(500)
    paymentMethod: _text(50)
    checkedOutAt: AwareDatetime


class CheckoutBasketEvent(BaseModel):
    """The EventBridge event as the rule delivers it to the order queue."""

    model_config = ConfigDict(populate_by_name=True)

    version: str
    id: str
    source: Literal["shop.basket"]
    detail_type: Literal["CheckoutBasket"] = Field(alias="detail-type")
    account: str
    time: AwareDatetime
    region: str
    resources: list[str] = []
    detail: CheckoutBasketDetail


class Order(BaseModel):
    orderId: str
    userName: str
    orderDate: str  # UTC with milliseconds, 2026-11-26T10:15:30.123Z: the checkout's time
    items: list[OrderItem]
    totalPrice: Total
    firstName: str
    lastName: str
    email: str
    address: str
    paymentMethod: str
