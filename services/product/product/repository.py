"""The product table: the only code that talks to DynamoDB for the product service.

Keys: `id` (hash). Index `category-index`: `category` (hash), `name` (range), so a category
lists in name order with a Query, never a Scan with a filter.
"""

import uuid
from typing import Any

from botocore.exceptions import ClientError

from product.models import Product
from shop_common.dynamo import error_code, from_item, read_page, to_item, to_value, unavailable_on_overload
from shop_common.errors import FieldError, NotFoundError
from shop_common.pagination import Page, PageRequest
from shop_common.tracing import step

CATEGORY_INDEX = "category-index"
_TABLE_KEY = ("id",)
_CATEGORY_KEY = ("id", "category", "name")
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


class ProductRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    @step
    def add(self, product: Product) -> None:
        with unavailable_on_overload(_WHAT):
            self._client.put_item(
                TableName=self._table,
                Item=to_item(product.model_dump()),
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
                items, token = read_page(self._client.scan, {"TableName": self._table}, page, _TABLE_KEY)
            else:
                params = {
                    "TableName": self._table,
                    "IndexName": CATEGORY_INDEX,
                    "KeyConditionExpression": "#category = :category",
                    "ExpressionAttributeNames": {"#category": "category"},
                    "ExpressionAttributeValues": {":category": {"S": category}},
                }
                items, token = read_page(
                    self._client.query, params, page, _CATEGORY_KEY, fixed={"category": category}
                )
        return Page[Product](items=[Product.model_validate(i) for i in items], nextToken=token)

    @step
    def update(self, product_id: str, changes: dict[str, Any]) -> Product:
        """Sets the given fields (None removes one) of an existing product; never creates one."""
        if not _is_product_id(product_id):
            raise _not_found(product_id)
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets: list[str] = []
        removes: list[str] = []
        for i, (field, value) in enumerate(changes.items()):
            names[f"#f{i}"] = field
            if value is None:
                removes.append(f"#f{i}")
            else:
                sets.append(f"#f{i} = :v{i}")
                values[f":v{i}"] = to_value(value)
        clauses = [f"SET {', '.join(sets)}"] if sets else []
        clauses += [f"REMOVE {', '.join(removes)}"] if removes else []
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": {"id": {"S": product_id}},
            "UpdateExpression": " ".join(clauses),
            "ConditionExpression": "attribute_exists(#id)",
            "ExpressionAttributeNames": {**names, "#id": "id"},
            "ReturnValues": "ALL_NEW",
        }
        if values:
            request["ExpressionAttributeValues"] = values
        try:
            with unavailable_on_overload(_WHAT):
                response = self._client.update_item(**request)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise _not_found(product_id) from None
            raise
        return Product.model_validate(from_item(response["Attributes"]))

    @step
    def delete(self, product_id: str) -> None:
        if not _is_product_id(product_id):
            raise _not_found(product_id)
        try:
            with unavailable_on_overload(_WHAT):
                self._client.delete_item(
                    TableName=self._table,
                    Key={"id": {"S": product_id}},
                    ConditionExpression="attribute_exists(#id)",
                    ExpressionAttributeNames={"#id": "id"},
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise _not_found(product_id) from None
            raise
