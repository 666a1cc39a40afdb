"""The order table: the only code that talks to DynamoDB for the order service.

Key: `orderId` (hash), which is the checkout id. One order per checkout is thus the table's own
key: the consumer's one PutItem is conditional on the id being new, so no event can make a
second order of a checkout, however it differs from the first (another checkedOutAt, other
lines). This was chosen over an idempotency item written in one transaction with an order keyed
by date: the guarantee needs no second item that every writer must remember, a new order costs
one plain PutItem (a transaction writes twice and bills each write double), and one order is a
consistent GetItem away, which a client that lost its 202 needs. The price: the per-user listing
reads an index, eventually consistent (an order may show there a moment after GET finds it).

Index `user-index` (all attributes): `userName` (hash) and `orderKey` = "<orderDate>#<orderId>"
(range), for one user's orders newest first.

Access patterns:
- make an order once: PutItem unless its orderId exists; the failed condition returns the
  stored order, so a redelivery (the same order) is told from another event of the checkout;
- one order: GetItem on orderId, consistent;
- one user's orders, newest first, optionally of one day, one instant or a date range: Query on
  user-index with a condition on orderKey, ScanIndexForward false;
- all orders (an operator's view): Scan, paginated.
No user path scans.
"""

from typing import Any

from order.models import Order
from order.orders import DateFilter, order_key
from shop_common.dynamo import (
    ConditionFailed,
    from_item,
    put_once,
    read_page,
    unavailable_on_overload,
)
from shop_common.pagination import Page, PageRequest
from shop_common.tracing import step

USER_INDEX = "user-index"
_TABLE_KEY = ("orderId",)
_USER_INDEX_KEY = ("orderId", "userName", "orderKey")  # a page of an index ends on both keys
_WHAT = "order store"


class OrderRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    @step
    def add(self, order: Order) -> Order | None:
        """Writes the order unless one with its id exists; returns that one, or None once written."""
        item = {**order.model_dump(exclude_none=True), "orderKey": order_key(order)}
        try:
            # Its fresh writeId tells an SDK retry of this very write from an earlier write.
            put_once(
                self._client.put_item,
                _WHAT,
                self._table,
                item,
                ConditionExpression="attribute_not_exists(#id)",
                ExpressionAttributeNames={"#id": "orderId"},
            )
        except ConditionFailed as failed:
            return None if failed.item is None else Order.model_validate(failed.item)
        return None

    @step
    def get(self, order_id: str) -> Order | None:
        with unavailable_on_overload(_WHAT):
            found = self._client.get_item(
                TableName=self._table, Key={"orderId": {"S": order_id}}, ConsistentRead=True
            ).get("Item")
        return Order.model_validate(from_item(found)) if found else None

    @step
    def list(self, page: PageRequest) -> Page[Order]:
        with unavailable_on_overload(_WHAT):
            items, token = read_page(self._client.scan, {"TableName": self._table}, page, _TABLE_KEY)
        return Page[Order](items=[Order.model_validate(i) for i in items], nextToken=token)

    @step
    def list_for_user(self, user_name: str, dates: DateFilter, page: PageRequest) -> Page[Order]:
        condition = "#user = :user"
        values: dict[str, Any] = {":user": {"S": user_name}}
        if dates.prefix is not None:
            condition += " AND begins_with(#key, :prefix)"
            values[":prefix"] = {"S": dates.prefix}
        elif dates.low is not None and dates.high is not None:
            condition += " AND #key BETWEEN :low AND :high"
            values.update({":low": {"S": dates.low}, ":high": {"S": dates.high}})
        elif dates.low is not None:
            condition += " AND #key >= :low"
            values[":low"] = {"S": dates.low}
        elif dates.high is not None:
            condition += " AND #key <= :high"
            values[":high"] = {"S": dates.high}
        names = {"#user": "userName"} | ({"#key": "orderKey"} if len(values) > 1 else {})
        params = {
            "TableName": self._table,
            "IndexName": USER_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        with unavailable_on_overload(_WHAT):
            items, token = read_page(
                self._client.query, params, page, _USER_INDEX_KEY, fixed={"userName": user_name}
            )
        return Page[Order](items=[Order.model_validate(i) for i in items], nextToken=token)
