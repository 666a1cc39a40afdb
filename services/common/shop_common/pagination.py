"""Pages of results with an opaque continuation token (a DynamoDB key, base64url-encoded)."""

import base64
import binascii
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from shop_common.errors import FieldError, InvalidInputError

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_INVALID_TOKEN = InvalidInputError(
    "nextToken is invalid: pass back the value from the previous page unchanged",
    [FieldError("nextToken", "invalid")],
)


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    token: str | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    nextToken: str | None


def encode_token(key: Mapping[str, Any]) -> str:
    raw = json.dumps(key, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(
    token: str, key_attributes: Collection[str], fixed: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Returns the DynamoDB key in the token, or raises InvalidInputError.

    The key must name exactly `key_attributes`, all strings; `fixed` values (the partition
    of a query) must match, so a token from one query cannot steer another.
    """
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise _INVALID_TOKEN from None
    if not isinstance(key, dict) or set(key) != set(key_attributes):
        raise _INVALID_TOKEN
    for value in key.values():
        if not (isinstance(value, dict) and list(value) == ["S"] and isinstance(value["S"], str)):
            raise _INVALID_TOKEN
    for name, value in (fixed or {}).items():
        if key[name]["S"] != value:
            raise _INVALID_TOKEN
    return key
