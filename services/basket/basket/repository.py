"""The basket table: the only code that talks to DynamoDB for the basket service.

One item per user, keyed by `userName`: the lines, a `revision` token renewed by every
replacement and by a checkout's lock, the `checkoutId` of its checkout once one was tried, and
`pendingCheckout` (the CheckoutBasket event) while its publication may have happened.

The revision is the basket's ETag. A replacement or deletion with If-Match is conditional on it,
so a stale write fails (412) instead of silently undoing another. A replacement writes its new
revision in the same call, so when the SDK retries one whose answer was lost although it was
applied, the item returned with the retry's failed condition shows that the write was ours.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from basket.models import USER_NAME, Basket, BasketItem, CheckoutBasket
from shop_common.dynamo import (
    ConditionFailed,
    from_item,
    is_condition_failure,
    read_page,
    to_value,
    unavailable_on_overload,
    write_if,
)
from shop_common.errors import ConflictError, FieldError, NotFoundError, PreconditionFailedError
from shop_common.pagination import Page, PageRequest
from shop_common.preconditions import IfMatch
from shop_common.times import utc_millis
from shop_common.tracing import step

_KEY = ("userName",)
_WHAT = "basket store"


def _not_found(user_name: str) -> NotFoundError:
    if not USER_NAME.match(user_name):  # not echoed: it may be kilobytes of anything
        message = "is not a user name (1 to 64 letters, digits or . _ @ + -)"
        return NotFoundError(f"No basket: userName {message}", [FieldError("userName", message)])
    return NotFoundError(f"No basket for user {user_name}")


def _in_progress(user_name: str) -> ConflictError:
    return ConflictError(
        f"A checkout of the basket of {user_name} is in progress: retry the checkout, or delete the basket"
    )


def _stale(user_name: str, exists: bool) -> PreconditionFailedError:
    if not exists:
        return PreconditionFailedError(
            f"There is no basket of {user_name}, and If-Match names a revision of one. "
            "Send no If-Match to make a new basket"
        )
    return PreconditionFailedError(
        f"The basket of {user_name} has changed since the revision that If-Match names. "
        "Read it again and retry"
    )


def _revision_matches(expected: IfMatch | None, values: dict[str, Any]) -> str | None:
    """The condition "the basket exists at a revision that If-Match names"; None without If-Match.

    Needs #user and #revision in the expression's names; adds its values to `values`.
    """
    if expected is None:
        return None
    if expected.any:
        return "attribute_exists(#user)"
    refs = []
    for i, tag in enumerate(sorted(expected.tags)):
        values[f":expected{i}"] = {"S": tag}
        refs.append(f":expected{i}")
    # Only weak tags: nothing can match.
    return (
        f"#revision IN ({', '.join(refs)})"
        if refs
        else "attribute_not_exists(#user) AND attribute_exists(#user)"
    )


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
    def save(self, user_name: str, items: Sequence[BasketItem], expected: IfMatch | None = None) -> Basket:
        """Creates or replaces the basket of `user_name` with `items` (priced lines), unless a
        checkout of it is in progress. With `expected`, only a basket at a revision that it names
        is replaced (and none is created)."""
        lines = [item.model_dump(exclude_none=True) for item in items]
        revision = uuid.uuid4().hex
        values: dict[str, Any] = {
            ":items": to_value(lines),
            ":now": {"S": utc_millis(datetime.now(UTC))},
            ":revision": {"S": revision},
        }
        condition = "attribute_not_exists(#pending)"
        if matches := _revision_matches(expected, values):
            condition += f" AND ({matches})"
        try:
            response = write_if(
                self._client.update_item,
                _WHAT,
                TableName=self._table,
                Key=self._key(user_name),
                UpdateExpression="SET #items = :items, #updated = :now, #revision = :revision",
                ConditionExpression=condition,
                ExpressionAttributeNames={
                    "#items": "items",
                    "#updated": "updatedAt",
                    "#revision": "revision",
                    "#pending": "pendingCheckout",
                    "#user": "userName",
                },
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed as failed:
            current = failed.item
            if current is not None and current.get("revision") == revision:
                return Basket.model_validate(current)  # applied by an attempt whose answer was lost
            if expected is not None and (
                current is None or not expected.matches(current.get("revision", ""))
            ):
                raise _stale(user_name, exists=current is not None) from None
            raise _in_progress(user_name) from None
        return Basket.model_validate(from_item(response["Attributes"]))

    @step
    def delete(self, user_name: str, expected: IfMatch | None = None) -> None:
        """Deletes the basket (abandoning a checkout in progress); with `expected`, only at a
        revision that it names."""
        if not USER_NAME.match(user_name):
            raise _not_found(user_name)
        values: dict[str, Any] = {}
        condition = "attribute_exists(#user)"
        if matches := _revision_matches(expected, values):
            condition += f" AND ({matches})"
        try:
            write_if(
                self._client.delete_item,
                _WHAT,
                TableName=self._table,
                Key=self._key(user_name),
                ConditionExpression=condition,
                ExpressionAttributeNames={"#user": "userName", "#revision": "revision"},
                ExpressionAttributeValues=values,
            )
        except ConditionFailed as failed:
            # Gone: deleted by someone else, or by an attempt of ours whose answer was lost.
            if failed.item is None:
                raise _not_found(user_name) from None
            raise _stale(user_name, exists=True) from None

    @step
    def record_checkout(self, basket: Basket, checkout: CheckoutBasket) -> None:
        """Locks the basket to `checkout`, if it is still as read; ConflictError otherwise.

        The revision is renewed: the basket now shows its checkoutId, so its ETag changes."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(basket.userName),
                    UpdateExpression=(
                        "SET #pending = :checkout, #checkoutId = :checkoutId, #revision = :nextRevision"
                    ),
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
                        ":nextRevision": {"S": uuid.uuid4().hex},
                    },
                )
        except ClientError as error:
            if is_condition_failure(error):
                raise ConflictError(f"The basket of {basket.userName} changed during checkout") from None
            raise

    @step
    def replace_items(self, basket: Basket, items: Sequence[BasketItem]) -> None:
        """Replaces the lines of the basket as read (checkout repriced it); ConflictError if it
        changed or was locked since. The revision is renewed: the basket shows other prices."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(basket.userName),
                    UpdateExpression="SET #items = :items, #updated = :now, #revision = :nextRevision",
                    ConditionExpression=(
                        "attribute_exists(#user) AND #revision = :revision AND attribute_not_exists(#pending)"
                    ),
                    ExpressionAttributeNames={
                        "#user": "userName",
                        "#items": "items",
                        "#updated": "updatedAt",
                        "#revision": "revision",
                        "#pending": "pendingCheckout",
                    },
                    ExpressionAttributeValues={
                        ":items": to_value([item.model_dump(exclude_none=True) for item in items]),
                        ":now": {"S": utc_millis(datetime.now(UTC))},
                        ":revision": {"S": basket.revision},
                        ":nextRevision": {"S": uuid.uuid4().hex},
                    },
                )
        except ClientError as error:
            if is_condition_failure(error):
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
            if not is_condition_failure(error):
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
            if not is_condition_failure(error):
                raise
