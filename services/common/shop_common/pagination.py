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
_MAX_TOKEN = 4096  # a key is at most 2 KB of hash key and 1 KB of range key per attribute


def invalid_token() -> InvalidInputError:
    return InvalidInputError(
        "nextToken is invalid: pass back the value from the previous page unchanged, with the same filters",
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
    if len(token) > _MAX_TOKEN:
        raise invalid_token()
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        raise invalid_token() from None
    if not isinstance(key, dict) or set(key) != set(key_attributes):
        raise invalid_token()
    for value in key.values():
        if not (
            isinstance(value, dict) and list(value) == ["S"] and isinstance(value["S"], str) and value["S"]
        ):
            raise invalid_token()
    for name, value in (fixed or {}).items():
        if key[name]["S"] != value:
            raise invalid_token()
    return key
