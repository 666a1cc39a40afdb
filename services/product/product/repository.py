"""The product table: the only code that talks to DynamoDB for the product service.

Keys: `id` (hash). Both listings are a Query in name order, never a Scan:
- `category-index`: `category` (hash), `name` (range), for one category;
- `catalogue-index`: `catalogue` (hash, the same value on every product), `name` (range), for
  the whole catalogue. One partition key caps this index at one partition's throughput (3,000
  reads and 1,000 writes per second): ample for a catalogue that changes rarely and is read
  through pages; cache the listing before it needs more.

Concurrent writes: each item has a `version` (1 when made, +1 per update). An update or delete
with If-Match is conditional on the stored version being one the client named, so a stale write
fails (VersionMismatch; the catalogue rules answer 412) instead of silently undoing another. Each
write also stores a fresh `writeId`: when the SDK retries a write whose answer was lost although
it was applied, the retry's condition fails, and the item, returned with the failure, shows
whether the write that won was ours.
"""

import uuid
from typing import Any

from product.models import Product
from shop_common.dynamo import (
    WRITE_ID,
    ConditionFailed,
    from_item,
    new_write_id,
    put_once,
    read_page,
    to_value,
    unavailable_on_overload,
    write_if,
    write_once,
)
from shop_common.errors import FieldError, NotFoundError
from shop_common.pagination import Page, PageRequest
from shop_common.preconditions import Condition, IfMatch, VersionMismatch, if_match_condition
from shop_common.tracing import step

CATEGORY_INDEX = "category-index"
CATALOGUE_INDEX = "catalogue-index"
_CATALOGUE = {"catalogue": "all"}  # on every product, so that each one is in the index
_CATEGORY_KEY = ("id", "category", "name")
_CATALOGUE_KEY = ("id", "catalogue", "name")
_WHAT = "product catalogue"


def _not_found(product_id: str) -> NotFoundError:
    if not _is_product_id(product_id):  # not echoed: it may be kilobytes of anything
        return NotFoundError(
            "Product not found: id is not a product id", [FieldError("id", "not a product id")]
        )
    return NotFoundError(f"Product {product_id} not found")


def _is_product_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _is_version(tag: str) -> bool:
    return tag.isascii() and tag.isdigit() and len(tag) <= 15 and str(int(tag)) == tag


def _version_value(tag: str) -> dict[str, str]:
    return {"N": tag} if _is_version(tag) else {"S": tag}  # a string never equals the numeric version


def _matching(expected: IfMatch | None) -> Condition | None:
    """If-Match as a condition; "0" names a product stored before products had versions."""
    return if_match_condition(expected, "id", "version", _version_value, unversioned="0")


def _mismatch(item: dict[str, Any]) -> VersionMismatch:
    return VersionMismatch(str(item.get("version", 0)))


class ProductRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    @step
    def add(self, product: Product) -> None:
        # The id is fresh: the condition fails only on a retry of this very write, which put_once
        # recognises as done.
        put_once(
            self._client.put_item,
            _WHAT,
            self._table,
            {**product.model_dump(), **_CATALOGUE, "version": product.version},
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": "id"},
        )

    @step
    def get(self, product_id: str) -> Product:
        if not _is_product_id(product_id):
            raise _not_found(product_id)
        with unavailable_on_overload(_WHAT):
            item = self._client.get_item(TableName=self._table, Key={"id": {"S": product_id}}).get("Item")
        if item is None:
            raise _not_found(product_id)
        return Product.model_validate(from_item(item))

    @step
    def list(self, page: PageRequest, category: str | None = None) -> Page[Product]:
        with unavailable_on_overload(_WHAT):
            if category is None:
                index, key, fixed = CATALOGUE_INDEX, _CATALOGUE_KEY, _CATALOGUE
            else:
                index, key, fixed = CATEGORY_INDEX, _CATEGORY_KEY, {"category": category}
            ((attribute, value),) = fixed.items()
            params = {
                "TableName": self._table,
                "IndexName": index,
                "KeyConditionExpression": "#key = :key",
                "ExpressionAttributeNames": {"#key": attribute},
                "ExpressionAttributeValues": {":key": {"S": value}},
            }
            items, token = read_page(self._client.query, params, page, key, fixed=fixed)
        return Page[Product](items=[Product.model_validate(i) for i in items], nextToken=token)

    @step
    def update(self, product_id: str, changes: dict[str, Any], expected: IfMatch | None = None) -> Product:
        """Sets the given fields (None removes one) of an existing product and adds one to its
        version; never creates one. With `expected`, only if its version is one that it names."""
        if not _is_product_id(product_id):
            raise _not_found(product_id)
        write = new_write_id()
        names = {"#id": "id", "#version": "version", "#write": WRITE_ID, "#catalogue": "catalogue"}
        values: dict[str, Any] = {
            ":zero": {"N": "0"},
            ":one": {"N": "1"},
            ":write": {"S": write},
            ":catalogue": {"S": _CATALOGUE["catalogue"]},
        }
        # The catalogue key too: a product stored before the index (see scripts/backfill_catalogue.py)
        # joins the listing at its next update at the latest.
        sets = [
            "#version = if_not_exists(#version, :zero) + :one",
            "#write = :write",
            "#catalogue = :catalogue",
        ]
        removes: list[str] = []
        for i, (field, value) in enumerate(changes.items()):
            names[f"#f{i}"] = field
            if value is None:
                removes.append(f"#f{i}")
            else:
                sets.append(f"#f{i} = :v{i}")
                values[f":v{i}"] = to_value(value)
        clauses = [f"SET {', '.join(sets)}"] + ([f"REMOVE {', '.join(removes)}"] if removes else [])
        # Not an earlier attempt of this very write: its retry must not apply it twice.
        condition = Condition(
            "attribute_exists(#id) AND (attribute_not_exists(#write) OR #write <> :write)", names, values
        ).also(_matching(expected))
        try:
            written = write_once(
                self._client.update_item,
                _WHAT,
                (WRITE_ID, write),
                TableName=self._table,
                Key={"id": {"S": product_id}},
                UpdateExpression=" ".join(clauses),
                ConditionExpression=condition.expression,
                ExpressionAttributeNames=condition.names,
                ExpressionAttributeValues=condition.values,
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed as failed:
            if failed.item is None:
                raise _not_found(product_id) from None
            raise _mismatch(failed.item) from None
        return Product.model_validate(written)

    @step
    def delete(self, product_id: str, expected: IfMatch | None = None) -> None:
        """Deletes an existing product; with `expected`, only if its version is one that it names."""
        if not _is_product_id(product_id):
            raise _not_found(product_id)
        condition = Condition("attribute_exists(#id)", {"#id": "id"}).also(_matching(expected))
        try:
            write_if(
                self._client.delete_item,
                _WHAT,
                TableName=self._table,
                Key={"id": {"S": product_id}},
                ConditionExpression=condition.expression,
                ExpressionAttributeNames=condition.names,
                ExpressionAttributeValues=condition.values,
            )
        except ConditionFailed as failed:
            # Gone: deleted by someone else, or by an attempt of ours whose answer was lost.
            if failed.item is None:
                raise _not_found(product_id) from None
            raise _mismatch(failed.item) from None
