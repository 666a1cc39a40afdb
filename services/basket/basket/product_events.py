"""The product events as the basket service reads them (contracts/events/ProductChanged.json and
ProductDeleted.json).

The models check every constraint of the contracts (types, lengths, bounds, required fields, the
envelope's source and detail-type), so an event that breaks them is refused, never applied to the
catalogue replica: the consumer reports it as a failure, and it ends in the queue's DLQ. The one
relaxation is the contracts' own rule for readers: fields they do not know are ignored, so the
product service can add fields before its consumers read them. tests/basket/test_product_contract.py
checks both directions against the schemas: every example is read, each constraint broken in turn
is refused.
"""

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from shop_common.errors import field_name
from shop_common.event_fields import DateTime, not_null, text
from shop_common.numbers import Money

PRODUCT_SOURCE = "shop.product"
ProductId = text(64)
Version = Annotated[int, Field(strict=True, ge=0)]  # a JSON integer: not 2.0, not "2"


class ProductChangedDetail(BaseModel):
    id: ProductId
    name: text(200)
    description: Annotated[str, StringConstraints(max_length=2000)]
    category: text(100)
    price: Money
    imageFile: Annotated[text(500) | None, BeforeValidator(not_null)] = None
    version: Version


class ProductDeletedDetail(BaseModel):
    id: ProductId
    version: Version


class _Envelope(BaseModel):
    """The EventBridge event as the rule delivers it to the replica's queue."""

    model_config = ConfigDict(populate_by_name=True)

    version: str
    id: str
    source: Literal["shop.product"]
    account: str
    time: DateTime
    region: str
    resources: list[str] = []


class ProductChangedEvent(_Envelope):
    detail_type: Literal["ProductChanged"] = Field(alias="detail-type")
    detail: ProductChangedDetail


class ProductDeletedEvent(_Envelope):
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
