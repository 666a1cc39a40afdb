"""Basket rules for replacing and deleting a basket: what a client is told when its If-Match
names a revision that is not the basket's. Plain Python, no AWS."""

from collections.abc import Sequence
from typing import Protocol

from basket.models import Basket, BasketItem
from shop_common.errors import PreconditionFailedError
from shop_common.preconditions import IfMatch, VersionMismatch


class Baskets(Protocol):
    def save(self, user_name: str, items: Sequence[BasketItem], expected: IfMatch | None) -> Basket:
        """Raises VersionMismatch when `expected` names no current revision."""

    def delete(self, user_name: str, expected: IfMatch | None) -> None:
        """Raises VersionMismatch when `expected` names no current revision."""


def save(baskets: Baskets, user_name: str, items: Sequence[BasketItem], expected: IfMatch | None) -> Basket:
    """Creates or replaces the basket with priced lines; with If-Match, only one at a revision
    that it names."""
    try:
        return baskets.save(user_name, items, expected)
    except VersionMismatch as mismatch:
        raise _stale(user_name, mismatch) from None


def delete(baskets: Baskets, user_name: str, expected: IfMatch | None) -> None:
    try:
        baskets.delete(user_name, expected)
    except VersionMismatch as mismatch:
        raise _stale(user_name, mismatch) from None


def _stale(user_name: str, mismatch: VersionMismatch) -> PreconditionFailedError:
    if mismatch.current is None:
        return PreconditionFailedError(
            f"There is no basket of {user_name}, and If-Match names a revision of one. "
            "Send no If-Match to make a new basket"
        )
    return PreconditionFailedError(
        f"The basket of {user_name} has changed since the revision that If-Match names. "
        "Read it again and retry"
    )
