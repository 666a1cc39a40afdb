"""The product events (contracts/events/ProductChanged.json, ProductDeleted.json) and the rule that
makes one of each change of the product table, as its stream reports it. Plain Python, no AWS.

The stream, not the API, is the source of the events: a product is written once, to its table,
and DynamoDB reports every committed write exactly once in its stream, in order per product. So
there is no dual write to get half right, and the product API makes no call more.
- INSERT and MODIFY become ProductChanged: the product as it is now, with its version;
- REMOVE becomes ProductDeleted: the id, and the version the product had when it went.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from product.models import MAX_CATEGORY, MAX_DESCRIPTION, MAX_IMAGE_FILE, MAX_NAME, Product
from shop_common.dynamo import from_item
from shop_common.errors import field_name
from shop_common.numbers import Money

# The contracts name these too; tests/product/test_contract.py keeps them equal.
EVENT_SOURCE = "shop.product"
CHANGED_DETAIL_TYPE = "ProductChanged"
DELETED_DETAIL_TYPE = "ProductDeleted"

Version = Annotated[int, Field(ge=0)]
MAX_ID = 64  # the contracts' bound; the service makes UUIDs
ProductId = Annotated[str, Field(min_length=1, max_length=MAX_ID)]


class ProductChanged(BaseModel):
    """The detail of ProductChanged: the whole product, and its version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ProductId
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)] = ""
    category: Annotated[str, Field(min_length=1, max_length=MAX_CATEGORY)]
    price: Money  # its bounds: shop_common.numbers
    imageFile: Annotated[str, Field(min_length=1, max_length=MAX_IMAGE_FILE)] | None = None
    version: Version

    @property
    def detail_type(self) -> str:
        return CHANGED_DETAIL_TYPE


class ProductDeleted(BaseModel):
    """The detail of ProductDeleted: the id, and the version the product had when it was deleted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ProductId
    version: Version

    @property
    def detail_type(self) -> str:
        return DELETED_DETAIL_TYPE


ProductEvent = ProductChanged | ProductDeleted


class StreamChange(BaseModel):
    """The part of a DynamoDB stream record (as Lambda delivers it) that the rule reads."""

    eventName: Literal["INSERT", "MODIFY", "REMOVE"]
    new_image: dict[str, Any] | None = Field(default=None, alias="NewImage")
    old_image: dict[str, Any] | None = Field(default=None, alias="OldImage")

    @classmethod
    def of(cls, record: dict[str, Any]) -> "StreamChange":
        data = record.get("dynamodb") if isinstance(record, dict) else None
        if not isinstance(data, dict):
            raise InvalidRecord("not a DynamoDB stream record")
        try:
            return cls.model_validate({**data, "eventName": record.get("eventName")})
        except ValidationError as error:
            raise InvalidRecord(_fields(error)) from None


class InvalidRecord(Exception):
    """A stream record that makes no event: it cannot become one however often it is retried."""


def _fields(error: ValidationError) -> str:
    # Field names only: the values may be anything the table held.
    return "invalid " + ", ".join(sorted({field_name(e["loc"]) for e in error.errors(include_input=False)}))


def event_of(change: StreamChange) -> ProductEvent:
    """The event that reports this change of the product table."""
    try:
        if change.eventName == "REMOVE":
            if change.old_image is None:
                raise InvalidRecord("a REMOVE without its old image (the stream must be NEW_AND_OLD_IMAGES)")
            old = from_item(change.old_image)
            return ProductDeleted(id=old.get("id"), version=old.get("version", 0))
        if change.new_image is None:
            raise InvalidRecord(f"an {change.eventName} without its new image")
        product = Product.model_validate(from_item(change.new_image))
        return ProductChanged(**product.model_dump(), version=product.version)
    except ValidationError as error:
        raise InvalidRecord(_fields(error)) from None
