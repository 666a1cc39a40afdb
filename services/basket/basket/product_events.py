"""The product events as the basket service reads them (contracts/events/ProductChanged.json and
ProductDeleted.json): a tolerant reader. It checks what the catalogue replica needs (the id, the
version, and a changed product's name and price) and ignores fields it does not know, so the
product service can add fields."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from shop_common.errors import field_name
from shop_common.numbers import Money

PRODUCT_SOURCE = "shop.product"
ProductId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Version = Annotated[int, Field(ge=0)]


class ProductChangedDetail(BaseModel):
    id: ProductId
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    price: Money
    version: Version


class ProductDeletedDetail(BaseModel):
    id: ProductId
    version: Version


class ProductChangedEvent(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    source: Literal["shop.product"]
    detail_type: Literal["ProductChanged"] = Field(alias="detail-type")
    detail: ProductChangedDetail


class ProductDeletedEvent(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    source: Literal["shop.product"]
    detail_type: Literal["ProductDeleted"] = Field(alias="detail-type")
    detail: ProductDeletedDetail


ProductEvent = Annotated[ProductChangedEvent | ProductDeletedEvent, Field(discriminator="detail_type")]
_EVENT = TypeAdapter(ProductEvent)


class InvalidProductEvent(Exception):
    """A message that is no product event of the contract: it goes to the DLQ, never applied."""


def parse(body: str) -> ProductChangedEvent | ProductDeletedEvent:
    try:
        return _EVENT.validate_json(body)
    except ValidationError as error:
        fields = sorted({field_name(e["loc"]) for e in error.errors(include_input=False)})
        raise InvalidProductEvent(f"not a valid product event: {', '.join(fields)}") from None
