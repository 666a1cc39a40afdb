"""Catalogue rules: how a product is made and changed. Plain Python, no AWS."""

from typing import Any
from uuid import uuid4

from product.models import Product, ProductCreate, ProductUpdate
from shop_common.errors import InvalidInputError


def new_product(request: ProductCreate) -> Product:
    """A product with a server-made id, at version 1 (each update adds one)."""
    return Product(id=str(uuid4()), version=1, **request.model_dump())


def changes_of(request: ProductUpdate) -> dict[str, Any]:
    """The fields a partial update sets; an update that sets nothing is refused."""
    changes = request.model_dump(exclude_unset=True)
    if not changes:
        fields = ", ".join(ProductUpdate.model_fields)
        raise InvalidInputError(f"Request body must set at least one of: {fields}")
    return changes
