"""Basket models: the requests, the basket, and the CheckoutBasket event it publishes."""

from collections import Counter
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    computed_field,
    field_validator,
)

from basket.email_address import Email
from shop_common.errors import FieldError, InvalidInputError
from shop_common.numbers import Money, Total, json_integer, total
from shop_common.text import StoredUserName, Text, UserName, user_name_problem

# The event contract (contracts/events/CheckoutBasket.json) names these too; a test keeps them equal.
EVENT_SOURCE = "shop.basket"
CHECKOUT_DETAIL_TYPE = "CheckoutBasket"

# The bounds first, so that the JSON Schema shows them (after a validator it could not).
Quantity = Annotated[int, Field(ge=1, le=999), BeforeValidator(json_integer)]


ProductId = Annotated[Text, Field(max_length=64)]
Color = Annotated[Text, Field(max_length=50)]


class BasketItem(BaseModel):
    """One line of a basket, named and priced from the catalogue; (productId, color) is unique."""

    model_config = ConfigDict(extra="forbid")

    productId: ProductId
    productName: Annotated[Text, Field(max_length=200)]
    price: Money
    quantity: Quantity
    color: Color | None = None


class BasketLine(BaseModel):
    """A line as sent: product, quantity, color; price (optional) is what the client showed."""

    # Name and price come from the catalogue. A price sent that is not the catalogue's is refused
    # (409), never charged: what the client showed is what the customer pays.

    model_config = ConfigDict(extra="forbid")

    productId: ProductId
    quantity: Quantity
    color: Color | None = None
    price: Money | None = None


class BasketUpdate(BaseModel):
    """POST /basket: the whole basket, replacing any earlier one."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built at the first POST

    userName: UserName
    items: Annotated[list[BasketLine], Field(max_length=100)]

    @field_validator("items")
    @classmethod
    def _lines_unique(cls, items: list[BasketLine]) -> list[BasketLine]:
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
        if problem := user_name_problem(user_name):  # the caller's own name, from the token
            message = f"{problem}; name the basket's userName"
            raise InvalidInputError(f"userName {message}", [FieldError("userName", message)])
        return CheckoutRequest(**{**self.model_dump(), "userName": user_name})


class CheckoutBasket(BaseModel):
    """The detail of the CheckoutBasket event (contracts/events/CheckoutBasket.json)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    checkoutId: str
    userName: StoredUserName
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
    userName: StoredUserName
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
