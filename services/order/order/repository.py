"""The order table: the only code that talks to DynamoDB for the order service.

Keys: `userName` (hash) and `orderKey` = "<orderDate>#<orderId>" (range). Access patterns:
- make an order once: PutItem unless the key exists (a redelivered checkout is a no-op);
- one user's orders, newest first, optionally of one day, one instant or a date range:
  Query on userName with a condition on orderKey, ScanIndexForward false;
- all orders (an operator's view): Scan, paginated.
No user path scans.
"""

from typing import Any

from botocore.exceptions import ClientError

from order.models import Order
from order.orders import DateFilter, order_key
from shop_common.dynamo import error_code, read_page, to_item, unavailable_on_overload
from shop_common.pagination import Page, PageRequest
from shop_common.tracing import step

_TABLE_KEY = ("userName", "orderKey")
_WHAT = "order store"


class OrderRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    @step
    def add(self, order: Order) -> bool:
        """Writes the order unless it exists; False when it did (a duplicate delivery)."""
        try:
            with unavailable_on_overload(_WHAT):
                self._client.put_item(
                    TableName=self._table,
                    Item=to_item({**order.model_dump(exclude_none=True), "orderKey": order_key(order)}),
                    ConditionExpression="attribute_not_exists(#key)",
                    ExpressionAttributeNames={"#key": "orderKey"},
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

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
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        with unavailable_on_overload(_WHAT):
            items, token = read_page(
                self._client.query, params, page, _TABLE_KEY, fixed={"userName": user_name}
            )
        return Page[Order](items=[Order.model_validate(i) for i in items], nextToken=token)
