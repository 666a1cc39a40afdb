"""Basket models: the requests, the basket, and the CheckoutBasket event it publishes."""

import re
from collections import Counter
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
)

from basket.email_address import Email
from shop_common.errors import FieldError, InvalidInputError
from shop_common.numbers import Money, Total, json_integer, total

# The event contract (contracts/events/CheckoutBasket.json) names these too; a test keeps them equal.
EVENT_SOURCE = "shop.basket"
CHECKOUT_DETAIL_TYPE = "CheckoutBasket"

USER_NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")
UserName = Annotated[str, StringConstraints(pattern=USER_NAME.pattern)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# The bounds first, so that the JSON Schema shows them (after a validator it could not).
Quantity = Annotated[int, Field(ge=1, le=999), BeforeValidator(json_integer)]


class BasketItem(BaseModel):
    """One line of a basket. A line is a product in one color: (productId, color) is unique."""

    model_config = ConfigDict(extra="forbid")

    productId: Annotated[Text, Field(max_length=64)]
    productName: Annotated[Text, Field(max_length=200)]
    price: Money
    quantity: Quantity
    color: Annotated[Text, Field(max_length=50)] | None = None


class BasketUpdate(BaseModel):
    """POST /basket: the whole basket, replacing any earlier one."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built at the first POST

    userName: UserName
    items: Annotated[list[BasketItem], Field(max_length=100)]

    @field_validator("items")
    @classmethod
    def _lines_unique(cls, items: list[BasketItem]) -> list[BasketItem]:
        lines = Counter((item.productId, item.color) for item in items)
        repeated = [f"{pid} ({color or 'no color'})" for (pid, color), count in lines.items() if count > 1]
        if repeated:
            raise ValueError(
                f"each product and color may appear once; repeated: {', '.join(repeated)}. "
                "Send one line with the total quantity"
            )
        return items


class CheckoutRequest(BaseModel):
    """POST /basket/checkout. Card data is refused (unknown fields are): paymentMethod is a label."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built at the first checkout

    userName: UserName
    firstName: Annotated[Text, Field(max_length=100)]
    lastName: Annotated[Text, Field(max_length=100)]
    email: Email
    address: Annotated[Text, Field(max_length=500)]
    paymentMethod: Annotated[Text, Field(max_length=50)]


class CheckoutBody(CheckoutRequest):
    """POST /basket/checkout as sent: without userName, the caller checks out their own basket."""

    userName: UserName | None = None

    def for_user(self, user_name: str) -> CheckoutRequest:
        if not USER_NAME.match(user_name):
            message = "must be 1 to 64 letters, digits or . _ @ + -; name the basket's userName"
            raise InvalidInputError(f"userName {message}", [FieldError("userName", message)])
        return CheckoutRequest(**{**self.model_dump(), "userName": user_name})


class CheckoutBasket(BaseModel):
    """The detail of the CheckoutBasket event (contracts/events/CheckoutBasket.json)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    checkoutId: str
    userName: UserName
    items: Annotated[list[BasketItem], Field(min_length=1, max_length=100)]
    totalPrice: Total
    firstName: str
    lastName: str
    email: str
    address: str
    paymentMethod: str
    checkedOutAt: str

    def has_details_of(self, request: CheckoutRequest) -> bool:
        return request.model_dump() == self.model_dump(include=set(CheckoutRequest.model_fields))


class Basket(BaseModel):
    userName: UserName
    items: list[BasketItem]
    # The id its checkout gets; kept from the first attempt until the basket is gone.
    checkoutId: str | None = None
    # A fresh token per replacement: a checkout records itself only on the basket it read.
    revision: str = Field(default="", exclude=True)
    # The event while its publication may have happened: the basket is locked meanwhile.
    pendingCheckout: CheckoutBasket | None = Field(default=None, exclude=True)

    @computed_field
    def totalPrice(self) -> Total:
        return total(self.items)


class CheckoutAccepted(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built at the first checkout

    checkoutId: str
    userName: str
    totalPrice: Total
