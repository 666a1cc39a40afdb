"""The basket table: the only code that talks to DynamoDB for the basket service.

One item per user, keyed by `userName`: the lines, a `revision` token renewed by every
replacement, the `checkoutId` of its checkout once one was tried, and `pendingCheckout` (the
CheckoutBasket event) while its publication may have happened.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from basket.models import USER_NAME, Basket, BasketUpdate, CheckoutBasket
from shop_common.dynamo import error_code, from_item, read_page, to_value, unavailable_on_overload
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.pagination import Page, PageRequest
from shop_common.times import utc_millis
from shop_common.tracing import step

_KEY = ("userName",)
_WHAT = "basket store"


def _not_found(user_name: str) -> NotFoundError:
    if not USER_NAME.match(user_name):  # not echoed: it may be kilobytes of anything
        message = "is not a user name (1 to 64 letters, digits or . _ @ + -)"
        return NotFoundError(f"No basket: userName {message}", [FieldError("userName", message)])
    return NotFoundError(f"No basket for user {user_name}")


def _conditional_failure(error: ClientError) -> bool:
    return error_code(error) == "ConditionalCheckFailedException"


class BasketRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _key(self, user_name: str) -> dict[str, Any]:
        return {"userName": {"S": user_name}}

    @step
    def get(self, user_name: str) -> Basket:
        if not USER_NAME.match(user_name):
            raise _not_found(user_name)
        with unavailable_on_overload(_WHAT):
            item = self._client.get_item(TableName=self._table, Key=self._key(user_name), ConsistentRead=True)
        if "Item" not in item:
            raise _not_found(user_name)
        return Basket.model_validate(from_item(item["Item"]))

    @step
    def list(self, page: PageRequest) -> Page[Basket]:
        with unavailable_on_overload(_WHAT):
            items, token = read_page(self._client.scan, {"TableName": self._table}, page, _KEY)
        return Page[Basket](items=[Basket.model_validate(i) for i in items], nextToken=token)

    @step
    def save(self, update: BasketUpdate) -> Basket:
        """Creates or replaces the basket, unless a checkout of it is in progress."""
        items = [item.model_dump(exclude_none=True) for item in update.items]
        try:
            with unavailable_on_overload(_WHAT):
                response = self._client.update_item(
                    TableName=self._table,
                    Key=self._key(update.userName),
                    UpdateExpression="SET #items = :items, #updated = :now, #revision = :revision",
                    ConditionExpression="attribute_not_exists(#pending)",
                    ExpressionAttributeNames={
                        "#items": "items",
                        "#updated": "updatedAt",
                        "#revision": "revision",
                        "#pending": "pendingCheckout",
                    },
                    ExpressionAttributeValues={
                        ":items": to_value(items),
                        ":now": {"S": utc_millis(datetime.now(UTC))},
                        ":revision": {"S": uuid.uuid4().hex},
                    },
                    ReturnValues="ALL_NEW",
                )
        except ClientError as error:
            if _conditional_failure(error):
                raise ConflictError(
                    f"A checkout of the basket of {update.userName} is in progress: "
                    "retry the checkout, or delete the basket"
                ) from None
            raise
        return Basket.model_validate(from_item(response["Attributes"]))

    @step
    def delete(self, user_name: str) -> None:
        if not USER_NAME.match(user_name):
            raise _not_found(user_name)
        try:
            with unavailable_on_overload(_WHAT):
                self._client.delete_item(
                    TableName=self._table,
                    Key=self._key(user_name),
                    ConditionExpression="attribute_exists(#user)",
                    ExpressionAttributeNames={"#user": "userName"},
                )
        except ClientError as error:
            if _conditional_failure(error):
                raise _not_found(user_name) from None
            raise

    @step
    def record_checkout(self, basket: Basket, checkout: CheckoutBasket) -> None:
        """Locks the basket to `checkout`, if it is still as read; ConflictError otherwise."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(basket.userName),
                    UpdateExpression="SET #pending = :checkout, #checkoutId = :checkoutId",
                    ConditionExpression=(
                        "attribute_exists(#user) AND #revision = :revision AND attribute_not_exists(#pending)"
                    ),
                    ExpressionAttributeNames={
                        "#user": "userName",
                        "#revision": "revision",
                        "#pending": "pendingCheckout",
                        "#checkoutId": "checkoutId",
                    },
                    ExpressionAttributeValues={
                        ":checkout": to_value(checkout.model_dump(exclude_none=True)),
                        ":checkoutId": {"S": checkout.checkoutId},
                        ":revision": {"S": basket.revision},
                    },
                )
        except ClientError as error:
            if _conditional_failure(error):
                raise ConflictError(f"The basket of {basket.userName} changed during checkout") from None
            raise

    @step
    def release_checkout(self, user_name: str, checkout_id: str) -> None:
        """Unlocks the basket after its event was certainly not published; it keeps its checkoutId."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(user_name),
                    UpdateExpression="REMOVE #pending",
                    ConditionExpression="#pending.#checkoutId = :checkoutId",
                    ExpressionAttributeNames={"#pending": "pendingCheckout", "#checkoutId": "checkoutId"},
                    ExpressionAttributeValues={":checkoutId": {"S": checkout_id}},
                )
        except ClientError as error:
            if not _conditional_failure(error):
                raise

    @step
    def remove_checked_out(self, user_name: str, checkout_id: str) -> None:
        """Deletes the basket if it still holds this checkout; done already is fine."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.delete_item(
                    TableName=self._table,
                    Key=self._key(user_name),
                    ConditionExpression="#pending.#checkoutId = :checkoutId",
                    ExpressionAttributeNames={"#pending": "pendingCheckout", "#checkoutId": "checkoutId"},
                    ExpressionAttributeValues={":checkoutId": {"S": checkout_id}},
                )
        except ClientError as error:
            if not _conditional_failure(error):
                raise
