"""Pricing: basket lines take their name and price from the catalogue, never from the client.

The catalogue is the basket service's replica of the product service's products, fed by their
events (basket.replica_consumer); `Catalogue` is its port. Two rules:
- `price_lines` (POST /basket): each line's product must be in the catalogue (400 naming the
  line otherwise), and a price the client sends must be the catalogue's (409 naming the line
  and the current price otherwise): what the client showed is what the customer will pay.
- `reprice` (checkout): a saved basket against the catalogue now; a line whose price changed or
  whose product is gone since the basket was saved is a change the customer must see before
  paying (basket.checkout turns it into a 409 and saves the basket as repriced).
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from basket.models import BasketItem, BasketLine
from shop_common.errors import ConflictError, FieldError, InvalidInputError
from shop_common.numbers import Money


class CatalogueEntry(BaseModel):
    """What the catalogue knows of a product: its name and price at a version, or that it was
    deleted (a tombstone, whose name and price are gone)."""

    model_config = ConfigDict(defer_build=True)  # built at its first use, not at the cold start

    productId: str
    version: int
    name: str | None = None
    price: Money | None = None
    deleted: bool = False

    @property
    def on_sale(self) -> bool:
        return not self.deleted and self.name is not None and self.price is not None


class Catalogue(Protocol):
    def entries(self, product_ids: Collection[str]) -> Mapping[str, CatalogueEntry]:
        """The entries of these products; a product the catalogue never heard of is absent.
        Raises UnavailableError when the catalogue cannot answer."""


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


class UnknownProducts(InvalidInputError):
    """Lines whose product is not for sale: unknown to the catalogue, or deleted."""


class PricesDiffer(ConflictError):
    """Lines sent with a price that is not the catalogue's."""


def _for_sale(lines: Sequence[BasketLine], entries: Mapping[str, CatalogueEntry]) -> None:
    errors = []
    for i, line in enumerate(lines):
        entry = entries.get(line.productId)
        if entry is None or not entry.on_sale:
            why = "has been deleted" if entry is not None else "is not in the catalogue"
            errors.append(FieldError(f"items[{i}].productId", f"product {line.productId} {why}"))
    if errors:
        named = "; ".join(f"{e.field.removesuffix('.productId')}: {e.message}" for e in errors)
        raise UnknownProducts(f"Products not for sale: {named}. Remove these lines", errors)


def price_lines(lines: Sequence[BasketLine], catalogue: Catalogue) -> list[BasketItem]:
    """The basket's lines, named and priced from the catalogue."""
    if not lines:
        return []
    entries = catalogue.entries({line.productId for line in lines})
    _for_sale(lines, entries)
    errors = []
    for i, line in enumerate(lines):
        current = entries[line.productId].price
        if line.price is not None and line.price != current:
            errors.append(
                FieldError(
                    f"items[{i}].price",
                    f"product {line.productId} costs {money(current)}, not {money(line.price)}",
                )
            )
    if errors:
        named = "; ".join(f"{e.field.removesuffix('.price')}: {e.message}" for e in errors)
        raise PricesDiffer(f"Prices differ from the catalogue: {named}. Nothing was saved", errors)
    return [
        BasketItem(
            productId=line.productId,
            productName=entries[line.productId].name,
            price=entries[line.productId].price,
            quantity=line.quantity,
            color=line.color,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class Repricing:
    items: list[BasketItem]  # the lines at the catalogue's names and prices, without deleted products
    changes: list[FieldError]  # one per line the customer must see again before paying


def reprice(items: Sequence[BasketItem], catalogue: Catalogue) -> Repricing:
    """A saved basket's lines at the catalogue's current names and prices.

    A line whose price changed takes the new price; a line whose product was deleted goes. A
    line whose product the catalogue does not know stays as it is: the basket was priced from
    the catalogue, so it is a catalogue being rebuilt (README, "Bootstrapping"), and the line
    becomes payable again once the product is back, or the customer removes it. Each of these
    is a change; a new name alone is not, the line just takes it.
    """
    if not items:
        return Repricing([], [])
    entries = catalogue.entries({item.productId for item in items})
    current, changes = [], []
    for i, item in enumerate(items):
        entry = entries.get(item.productId)
        if entry is None:
            message = (
                f"product {item.productId} is not in the catalogue at the moment; retry, or remove the line"
            )
            changes.append(FieldError(f"items[{i}]", message))
            current.append(item)
        elif not entry.on_sale:
            changes.append(
                FieldError(f"items[{i}]", f"product {item.productId} is no longer sold; the line was removed")
            )
        else:
            if entry.price != item.price:
                message = f"product {item.productId} costs {money(entry.price)} now, not {money(item.price)}"
                changes.append(FieldError(f"items[{i}].price", message))
            current.append(item.model_copy(update={"productName": entry.name, "price": entry.price}))
    return Repricing(current, changes)


class PricesChanged(ConflictError):
    """Checkout: the catalogue changed since the basket was saved, and the basket now shows it."""

    def __init__(self, changes: list[FieldError]):
        named = "; ".join(f"{e.field.removesuffix('.price')}: {e.message}" for e in changes)
        super().__init__(
            f"The catalogue changed since the basket was saved: {named}. The basket now shows the "
            "current prices; check out again to pay them",
            changes,
        )
