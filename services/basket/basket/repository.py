"""The basket table: the only code that talks to DynamoDB for the basket service.

One item per user, keyed by `userName`: the lines, a `revision` token renewed by every
replacement and by a checkout's lock, the `checkoutId` of its checkout once one was tried, and
`pendingCheckout` (the CheckoutBasket event) while its publication may have happened.

The revision is the basket's ETag. A replacement or deletion with If-Match is conditional on it,
so a stale write fails (VersionMismatch; the rules answer 412) instead of silently undoing
another. A replacement writes its new revision in the same call, so when the SDK retries one
whose answer was lost although it was applied, the item returned with the retry's failed
condition shows that the write was ours.

The revision also tells a checkout attempt whether the lock is still the one it recorded: an
attempt that takes over a recorded checkout renews it (keep_checkout), and the recording
attempt may unlock the basket (release_checkout) only while the revision is the one it wrote.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from basket.models import Basket, BasketItem, CheckoutBasket
from shop_common.dynamo import (
    ConditionFailed,
    from_item,
    is_condition_failure,
    new_write_id,
    read_page,
    to_value,
    unavailable_on_overload,
    write_if,
    write_once,
)
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.pagination import Page, PageRequest
from shop_common.preconditions import Condition, IfMatch, VersionMismatch, if_match_condition
from shop_common.text import user_name_problem
from shop_common.times import utc_millis
from shop_common.tracing import step

_KEY = ("userName",)
_WHAT = "basket store"


def _not_found(user_name: str) -> NotFoundError:
    if problem := user_name_problem(user_name):  # not echoed: it may be kilobytes of anything
        return NotFoundError(f"No basket: userName {problem}", [FieldError("userName", problem)])
    return NotFoundError(f"No basket for user {user_name}")


def _in_progress(user_name: str) -> ConflictError:
    return ConflictError(
        f"A checkout of the basket of {user_name} is in progress: retry the checkout, or delete the basket"
    )


class BasketRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _key(self, user_name: str) -> dict[str, Any]:
        return {"userName": {"S": user_name}}

    @step
    def get(self, user_name: str) -> Basket:
        if user_name_problem(user_name):
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
        revision = new_write_id()
        values: dict[str, Any] = {
            ":items": to_value(lines),
            ":now": {"S": utc_millis(datetime.now(UTC))},
            ":revision": {"S": revision},
        }
        names = {
            "#items": "items",
            "#updated": "updatedAt",
            "#revision": "revision",
            "#pending": "pendingCheckout",
        }
        # The names and values of the update expression too: write_if sends those it uses.
        condition = Condition("attribute_not_exists(#pending)", names, values).also(
            if_match_condition(expected, "userName", "revision")
        )
        try:
            written = write_once(
                self._client.update_item,
                _WHAT,
                ("revision", revision),
                TableName=self._table,
                Key=self._key(user_name),
                UpdateExpression="SET #items = :items, #updated = :now, #revision = :revision",
                ConditionExpression=condition.expression,
                ExpressionAttributeNames=condition.names,
                ExpressionAttributeValues=condition.values,
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed as failed:
            current = failed.item
            if expected is not None and (
                current is None or not expected.matches(current.get("revision", ""))
            ):
                raise VersionMismatch(None if current is None else current.get("revision", "")) from None
            raise _in_progress(user_name) from None
        return Basket.model_validate(written)

    @step
    def delete(self, user_name: str, expected: IfMatch | None = None) -> None:
        """Deletes the basket (abandoning a checkout in progress); with `expected`, only at a
        revision that it names."""
        if user_name_problem(user_name):
            raise _not_found(user_name)
        condition = Condition("attribute_exists(#user)", {"#user": "userName"}).also(
            if_match_condition(expected, "userName", "revision")
        )
        try:
            write_if(
                self._client.delete_item,
                _WHAT,
                TableName=self._table,
                Key=self._key(user_name),
                ConditionExpression=condition.expression,
                ExpressionAttributeNames=condition.names,
                ExpressionAttributeValues=condition.values,
            )
        except ConditionFailed as failed:
            # Gone: deleted by someone else, or by an attempt of ours whose answer was lost.
            if failed.item is None:
                raise _not_found(user_name) from None
            raise VersionMismatch(failed.item.get("revision", "")) from None

    @step
    def record_checkout(self, basket: Basket, checkout: CheckoutBasket) -> str:
        """Locks the basket to `checkout`, if it is still as read; ConflictError otherwise.

        Returns the lock: the basket's new revision (it now shows its checkoutId, so its ETag
        changes), which only this attempt knows."""
        lock = new_write_id()
        try:
            write_once(
                self._client.update_item,
                _WHAT,
                ("revision", lock),
                TableName=self._table,
                Key=self._key(basket.userName),
                UpdateExpression="SET #pending = :checkout, #checkoutId = :checkoutId, #revision = :lock",
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
                    ":lock": {"S": lock},
                },
            )
        except ConditionFailed:
            raise ConflictError(f"The basket of {basket.userName} changed during checkout") from None
        return lock

    @step
    def replace_items(self, basket: Basket, items: Sequence[BasketItem]) -> None:
        """Replaces the lines of the basket as read (checkout repriced it); ConflictError if it
        changed or was locked since. The revision is renewed: the basket shows other prices."""
        next_revision = new_write_id()
        try:
            # A retry of this very write, applied with its answer lost, is done, not a conflict.
            write_once(
                self._client.update_item,
                _WHAT,
                ("revision", next_revision),
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
                    ":nextRevision": {"S": next_revision},
                },
            )
        except ConditionFailed:
            raise ConflictError(f"The basket of {basket.userName} changed during checkout") from None

    @step
    def keep_checkout(self, user_name: str, checkout_id: str) -> None:
        """Takes over the recorded checkout `checkout_id` before publishing it again: renews the
        revision, so that the attempt that recorded it can no longer release it. ConflictError
        when the basket no longer holds it."""
        try:
            write_if(
                self._client.update_item,
                _WHAT,
                TableName=self._table,
                Key=self._key(user_name),
                UpdateExpression="SET #revision = :revision",
                ConditionExpression="#pending.#checkoutId = :checkoutId",
                ExpressionAttributeNames={
                    "#revision": "revision",
                    "#pending": "pendingCheckout",
                    "#checkoutId": "checkoutId",
                },
                ExpressionAttributeValues={
                    ":checkoutId": {"S": checkout_id},
                    ":revision": {"S": new_write_id()},
                },
            )
        except ConditionFailed:
            raise ConflictError(f"The basket of {user_name} changed during checkout") from None

    @step
    def release_checkout(self, user_name: str, checkout_id: str, lock: str) -> None:
        """Unlocks the basket, if it still holds the lock that record_checkout returned (no other
        attempt took the checkout over); it keeps its checkoutId. Not unlocked is fine."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.update_item(
                    TableName=self._table,
                    Key=self._key(user_name),
                    UpdateExpression="REMOVE #pending",
                    ConditionExpression="#pending.#checkoutId = :checkoutId AND #revision = :lock",
                    ExpressionAttributeNames={
                        "#pending": "pendingCheckout",
                        "#checkoutId": "checkoutId",
                        "#revision": "revision",
                    },
                    ExpressionAttributeValues={":checkoutId": {"S": checkout_id}, ":lock": {"S": lock}},
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
