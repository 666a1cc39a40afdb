"""DynamoDB on the low-level client: item (de)serialisation, pages, and error translation."""

import re
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from shop_common.errors import UnavailableError
from shop_common.pagination import PageRequest, decode_token, encode_token, invalid_token

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# Errors after which the same request can succeed later (botocore has already retried).
_RETRYABLE_CODES = frozenset(
    {
        "InternalServerError",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "ThrottlingException",
    }
)


def to_item(data: Mapping[str, Any]) -> dict[str, Any]:
    """Serialises a mapping, leaving out None values (absent attributes)."""
    return {name: _serializer.serialize(value) for name, value in data.items() if value is not None}


def to_value(value: Any) -> dict[str, Any]:
    return _serializer.serialize(value)


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def is_condition_failure(error: ClientError) -> bool:
    return error_code(error) == "ConditionalCheckFailedException"


class ConditionFailed(Exception):
    """A conditional write did not happen; `item` is the item as its condition saw it (None: none)."""

    def __init__(self, item: dict[str, Any] | None):
        super().__init__("The conditional request failed")
        self.item = item


def write_if(call: Callable[..., dict[str, Any]], what: str, **request: Any) -> dict[str, Any]:
    """Runs a conditional PutItem, UpdateItem or DeleteItem (`call`) and returns its response.

    Raises ConditionFailed with the item its condition saw, so the caller can tell why: missing,
    changed by someone else, or changed by this very write (an SDK retry after a lost answer).
    Names and values no expression uses are left out, as DynamoDB refuses them.
    """
    expressions = " ".join(request.get(k, "") for k in ("ConditionExpression", "UpdateExpression"))
    placeholders = set(re.findall(r"[#:]\w+", expressions))
    for kind in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
        used = {k: v for k, v in request.pop(kind, {}).items() if k in placeholders}
        if used:
            request[kind] = used
    try:
        with unavailable_on_overload(what):
            return call(**request, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except ClientError as error:
        if not is_condition_failure(error):
            raise
        item = error.response.get("Item")  # what ReturnValuesOnConditionCheckFailure asked for
        raise ConditionFailed(from_item(item) if item else None) from None


WRITE_ID = "writeId"  # the attribute of a write's fresh mark, where no other attribute serves


def new_write_id() -> str:
    return uuid.uuid4().hex


def write_once(
    call: Callable[..., dict[str, Any]], what: str, mark: tuple[str, str], **request: Any
) -> dict[str, Any]:
    """write_if for a write that stores `mark`, an attribute and a value fresh to this call (a
    writeId, a new revision). Returns the item as written: the response's (ReturnValues="ALL_NEW"),
    or the Item put.

    The SDK retries a write whose answer was lost, although the first attempt was applied: the
    retry's condition, when it is one the landed write falsifies, fails (a write whose condition
    still holds is simply applied again, to the same effect). When the item its condition saw
    holds our mark, that failure is our own write, so it is the item returned; any other failure
    raises ConditionFailed as write_if.
    """
    attribute, value = mark
    try:
        response = write_if(call, what, **request)
    except ConditionFailed as failed:
        if failed.item is not None and failed.item.get(attribute) == value:
            return failed.item
        raise
    return from_item(response.get("Attributes") or request.get("Item") or {})


def put_once(
    put_item: Callable[..., dict[str, Any]], what: str, table: str, item: dict[str, Any], **condition: Any
) -> dict[str, Any]:
    """write_once of a PutItem (a client's put_item) of `item` (plain values), marked with a fresh
    writeId; `condition`: its ConditionExpression and the names and values it uses. Returns the
    item as stored."""
    write = new_write_id()
    stored = to_item({**item, WRITE_ID: write})
    return write_once(put_item, what, (WRITE_ID, write), TableName=table, Item=stored, **condition)


@contextmanager
def unavailable_on_overload(what: str) -> Iterator[None]:
    """Turns throttling, server-side and connection failures into UnavailableError (503)."""
    try:
        yield
    except ClientError as error:
        if error_code(error) in _RETRYABLE_CODES:
            raise UnavailableError(f"The {what} is busy; retry later") from error
        raise
    except BotoCoreError as error:
        raise UnavailableError(f"The {what} cannot be reached; retry later") from error


def read_page(
    call: Callable[..., dict[str, Any]],
    params: Mapping[str, Any],
    page: PageRequest,
    key_attributes: Collection[str],
    fixed: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Runs one Scan or Query call for a page and returns its items and the next token.

    It asks for one item more than the page holds: when that item exists the page ends on a
    full key, so a client never gets a last page that is empty.
    """
    request = {**params, "Limit": page.limit + 1}
    if page.token:
        request["ExclusiveStartKey"] = decode_token(page.token, key_attributes, fixed)
    try:
        response = call(**request)
    except ClientError as error:
        # A well-formed key from another query: "The provided starting key is outside query boundaries".
        if page.token and error_code(error) == "ValidationException":
            raise invalid_token() from None
        raise
    items = response.get("Items", [])
    if len(items) > page.limit:
        items = items[: page.limit]
        next_key = {name: items[-1][name] for name in key_attributes}
    else:
        next_key = response.get("LastEvaluatedKey")
    return [from_item(item) for item in items], encode_token(next_key) if next_key else None
