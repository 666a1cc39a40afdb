"""Catalogue rules: how a product is made and changed. Plain Python, no AWS."""

from typing import Any, Protocol
from uuid import uuid4

from product.models import Product, ProductCreate, ProductUpdate
from shop_common.errors import InvalidInputError, PreconditionFailedError
from shop_common.preconditions import IfMatch, VersionMismatch, etag


class Products(Protocol):
    def update(self, product_id: str, changes: dict[str, Any], expected: IfMatch | None) -> Product:
        """Raises VersionMismatch when `expected` names no current version."""

    def delete(self, product_id: str, expected: IfMatch | None) -> None:
        """Raises VersionMismatch when `expected` names no current version."""


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


def update(products: Products, product_id: str, changes: dict[str, Any], expected: IfMatch | None) -> Product:
    """Sets the fields of `changes`; with If-Match, only on a version that it names."""
    try:
        return products.update(product_id, changes, expected)
    except VersionMismatch as mismatch:
        raise _stale(product_id, mismatch) from None


def delete(products: Products, product_id: str, expected: IfMatch | None) -> None:
    try:
        products.delete(product_id, expected)
    except VersionMismatch as mismatch:
        raise _stale(product_id, mismatch) from None


def _stale(product_id: str, mismatch: VersionMismatch) -> PreconditionFailedError:
    return PreconditionFailedError(
        f"Product {product_id} has changed: its ETag is now {etag(mismatch.current or 0)}, "
        "not one that If-Match names. Read it again and retry"
    )
