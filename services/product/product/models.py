"""Product models: what clients send, and the product as stored and returned."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shop_common.numbers import Money
from shop_common.text import MultilineText, Text

# The bounds of a product's fields: the API's models here, the events' in product.events.
MAX_NAME = 200
MAX_CATEGORY = 100
MAX_DESCRIPTION = 2000
MAX_IMAGE_FILE = 500

Name = Annotated[Text, Field(max_length=MAX_NAME)]
Category = Annotated[Text, Field(max_length=MAX_CATEGORY)]
Description = Annotated[MultilineText, Field(max_length=MAX_DESCRIPTION)]
ImageFile = Annotated[Text, Field(max_length=MAX_IMAGE_FILE)]


def _without_null(schema: dict[str, Any]) -> None:
    (value,) = [s for s in schema.pop("anyOf") if s != {"type": "null"}]
    schema.update(value)


# An optional field that refuses null (None stands for "not sent"): its JSON Schema has no null.
NOT_NULL = Field(json_schema_extra=_without_null)


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # POST only: built at its first use

    name: Name
    description: Description = ""
    category: Category
    price: Money
    imageFile: ImageFile | None = None


class ProductUpdate(BaseModel):
    """A partial update: only the fields present change. `id` is not a field, so it cannot change."""

    # see changes_of; PUT only: built at its first use
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1}, defer_build=True)

    name: Annotated[Name | None, NOT_NULL] = None
    description: Annotated[Description | None, NOT_NULL] = None
    category: Annotated[Category | None, NOT_NULL] = None
    price: Annotated[Money | None, NOT_NULL] = None
    imageFile: ImageFile | None = None  # null removes the image

    @field_validator("name", "description", "category", "price", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null")
        return value


class Product(BaseModel):
    id: str
    name: str
    description: str = ""
    category: str
    price: Money
    imageFile: str | None = None
    # 1 when made, +1 per update; the API sends it as the ETag, not in the body. 0: stored before
    # products had versions.
    version: int = Field(default=0, exclude=True)
