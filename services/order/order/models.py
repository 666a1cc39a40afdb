"""Order models: the CheckoutBasket event as this service reads it, and the order.

The event models are a tolerant reader of contracts/events/CheckoutBasket.json: they check
what the order needs and ignore fields they do not know, so the producer can add fields.
"""

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from shop_common.numbers import Money, Total

Text = Annotated[str, StringConstraints(min_length=1)]


class OrderItem(BaseModel):
    productId: Text
    productName: Text
    price: Money
    quantity: Annotated[int, Field(ge=1)]
    color: str | None = None


class CheckoutBasketDetail(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the consumer's: the order API never builds it

    checkoutId: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")]
    userName: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    items: Annotated[list[OrderItem], Field(min_length=1)]
    totalPrice: Total
    firstName: Text
    lastName: Text
    email: Text
    address: Text
    paymentMethod: Text
    checkedOutAt: AwareDatetime


class CheckoutBasketEvent(BaseModel):
    """The EventBridge event as the rule delivers it to the order queue."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)  # the consumer's, as the detail

    id: str
    source: Literal["shop.basket"]
    detail_type: Literal["CheckoutBasket"] = Field(alias="detail-type")
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
