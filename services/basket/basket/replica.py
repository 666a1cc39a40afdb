"""The catalogue replica table: the basket service's copy of the products' names and prices.

One item per product, keyed by `productId`: `name`, `price` and `version`, or, once the product
is deleted, a tombstone (`deleted` = true and the version it had). The product events feed it
(basket.replica_consumer) and the basket API reads it (the `Catalogue` port of basket.catalogue).

Events come at least once and in any order, so a write is conditional on the version: a
ProductChanged applies only over an older version, a ProductDeleted over the same or an older
one; nothing applies over a tombstone, so a ProductChanged delivered late cannot bring a deleted
product back (the product service never reuses an id). A stale or repeated event changes nothing.
Tombstones are kept: one small item per deleted product. Each write stores a fresh `writeId`: when
the SDK retries a write whose answer was lost although it was applied, the retry's condition
fails, and the item returned with the failure shows that the write was ours (applied, not stale).
"""

import time
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from basket.catalogue import CatalogueEntry
from shop_common.dynamo import (
    ConditionFailed,
    from_item,
    put_once,
    unavailable_on_overload,
)
from shop_common.errors import UnavailableError
from shop_common.times import utc_millis
from shop_common.tracing import step

_WHAT = "product catalogue"
MAX_KEYS = 100  # BatchGetItem takes at most 100 keys per call
# BatchGetItem answers the keys it could not read (throttled, too large) as UnprocessedKeys: they
# are asked again, twice at most, after 50 and 100 ms, and only while the read has taken less than
# RETRY_WITHIN seconds (a slow answer is a table in trouble: one more call could outlast the
# route's timeout). Still unread, the request is a 503.
UNPROCESSED_RETRIES = 2
RETRY_WITHIN = 2.0
_NAMES = {
    "#id": "productId",
    "#version": "version",
    "#deleted": "deleted",
    "#name": "name",
    "#price": "price",
}


class CatalogueReplica:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    @step
    def entries(self, product_ids: Collection[str]) -> dict[str, CatalogueEntry]:
        """The replica's entries of these products (tombstones too), read strongly consistent."""
        ids = sorted(set(product_ids))
        found: dict[str, CatalogueEntry] = {}
        for start in range(0, len(ids), MAX_KEYS):
            keys = [{"productId": {"S": product_id}} for product_id in ids[start : start + MAX_KEYS]]
            for item in self._read(keys):
                entry = CatalogueEntry.model_validate(from_item(item))
                found[entry.productId] = entry
        return found

    def _read(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        request = {
            "Keys": keys,
            "ConsistentRead": True,
            "ProjectionExpression": ", ".join(_NAMES),
            "ExpressionAttributeNames": _NAMES,
        }
        items: list[dict[str, Any]] = []
        started = time.monotonic()
        for retry in range(UNPROCESSED_RETRIES + 1):
            if retry:
                if time.monotonic() - started > RETRY_WITHIN:
                    break
                time.sleep(0.05 * 2 ** (retry - 1))
            with unavailable_on_overload(_WHAT):
                response = self._client.batch_get_item(RequestItems={self._table: request})
            items += response.get("Responses", {}).get(self._table, [])
            unprocessed = response.get("UnprocessedKeys", {}).get(self._table)
            if not unprocessed:
                return items
            request = unprocessed  # the same projection, with the keys still to read
        raise UnavailableError(f"The {_WHAT} is busy; retry later")

    @step
    def apply_change(self, product_id: str, version: int, name: str, price: Any) -> bool:
        """Stores the product at `version` unless the replica holds this or a later version, or
        its tombstone; True if it did."""
        item = {"productId": product_id, "version": version, "name": name, "price": price}
        return self._put_if(
            item, "attribute_not_exists(#id) OR (attribute_not_exists(#deleted) AND #version < :version)"
        )

    @step
    def apply_delete(self, product_id: str, version: int) -> bool:
        """Replaces the product by its tombstone at `version`, unless the replica holds a later
        version or a tombstone already; True if it did."""
        item = {"productId": product_id, "version": version, "deleted": True}
        return self._put_if(
            item, "attribute_not_exists(#id) OR (attribute_not_exists(#deleted) AND #version <= :version)"
        )

    def _put_if(self, item: dict[str, Any], condition: str) -> bool:
        try:
            put_once(
                self._client.put_item,
                _WHAT,
                self._table,
                {**item, "updatedAt": utc_millis(datetime.now(UTC))},
                ConditionExpression=condition,
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues={":version": {"N": str(item["version"])}},
            )
        except ConditionFailed:
            return False  # stale or repeated (this very write, applied with its answer lost, is not)
        return True
