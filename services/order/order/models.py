"""Order models: the CheckoutBasket event as this service reads it, and the order.

The event models check every constraint of contracts/events/CheckoutBasket.json (types,
lengths, patterns, bounds, required fields, the envelope's source and detail-type), so an
event that breaks the contract makes no order: the consumer refuses it, and it ends in the
queue's DLQ. The one relaxation is the contract's own rule for readers: fields they do not know
are ignored, so that the producer can add fields before its consumers read them.
tests/order/test_contract.py checks both directions against the schema: every example is
read, and each constraint broken in turn is refused.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from shop_common.event_fields import DateTime, not_null, text
from shop_common.numbers import Money, Total
from shop_common.text import StoredUserName

CHECKOUT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


# The contract's "format": "email" as JSON Schema validators check it (an @), no stricter: the
# producer checks addresses, and a stricter reader would refuse events the contract allows.
Email = Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@]*@")]


class CheckoutLine(BaseModel):
    """A line of the checkout: the contract's BasketItem."""

    productId: text(64)
    productName: text(200)
    price: Money
    quantity: Annotated[int, Field(strict=True, ge=1, le=999)]  # a JSON integer: not 2.0, not "2"
    color: Annotated[text(50) | None, BeforeValidator(not_null)] = None


class CheckoutBasketDetail(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the consumer's: the order API never builds it

    checkoutId: Annotated[str, StringConstraints(pattern=CHECKOUT_ID_PATTERN)]
    userName: StoredUserName
    items: Annotated[list[CheckoutLine], Field(min_length=1, max_length=100)]
    totalPrice: Total
    firstName: text(100)
    lastName: text(100)
    email: Email
    address: text(500)
    paymentMethod: text(50)
    checkedOutAt: DateTime


class CheckoutBasketEvent(BaseModel):
    """The EventBridge event as the rule delivers it to the order queue."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)  # the consumer's, as the detail

    version: str
    id: str
    source: Literal["shop.basket"]
    detail_type: Literal["CheckoutBasket"] = Field(alias="detail-type")
    account: str
    time: DateTime
    region: str
    resources: list[str] = []
    detail: CheckoutBasketDetail


class OrderItem(BaseModel):
    productId: Annotated[str, StringConstraints(min_length=1)]
    productName: Annotated[str, StringConstraints(min_length=1)]
    price: Money
    quantity: Annotated[int, Field(ge=1)]
    color: str | None = None


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
