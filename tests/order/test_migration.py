"""scripts/migrate_orders.py: the orders of the table keyed on userName + orderKey are copied into
the table keyed on orderId, once each; a double order of one checkout is reported, not copied."""

import boto3
import pytest

from scripts.migrate_orders import migrate
from tests.helpers import LambdaContext
from tests.order.conftest import TABLE, checkout_event, sqs_event

OLD_TABLE = "shop-local-order"


@pytest.fixture
def old_orders(aws):
    """The old table with two orders, and a second, different order of the first checkout."""
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=OLD_TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[
            {"AttributeName": "userName", "KeyType": "HASH"},
            {"AttributeName": "orderKey", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("userName", "orderKey")],
    )

    def item(order_id: str, date: str, user: str = "swn") -> dict:
        return {
            "userName": {"S": user},
            "orderKey": {"S": f"{date}#{order_id}"},
            "orderId": {"S": order_id},
            "orderDate": {"S": date},
            "items": {
                "L": [
                    {
                        "M": {
                            "productId": {"S": "p1"},
                            "productName": {"S": "Phone"},
                            "price": {"N": "10"},
                            "quantity": {"N": "2"},
                        }
                    }
                ]
            },
            "totalPrice": {"N": "20"},
            **{
                k: {"S": v}
                for k, v in {
                    "firstName": "A",
                    "lastName": "B",
                    "email": "a@b.io",
                    "address": "C",
                    "paymentMethod": "card",
                }.items()
            },
        }

    first, second = "0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21", "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
    items = [
        item(first, "2026-11-26T10:15:30.123Z"),
        item(first, "2026-11-26T10:15:31.456Z"),  # the double order of issue 12
        item(second, "2026-11-27T09:00:00.000Z", user="ana"),
    ]
    for stored in items:
        client.put_item(TableName=OLD_TABLE, Item=stored)
    return first, second


def test_each_order_is_copied_once_and_a_double_order_is_reported(consumer, old_orders):
    first, second = old_orders
    client = boto3.client("dynamodb")
    result = migrate(client, OLD_TABLE, TABLE)
    assert (result.copied, result.present, result.conflicts) == (2, 0, [first])
    copied = {i["orderId"]["S"]: i for i in client.scan(TableName=TABLE)["Items"]}
    assert set(copied) == {first, second}
    # The orders read as the API reads them, and the per-user listing finds them.
    assert consumer.repository.get(second).userName == "ana"


def test_it_can_run_again_and_beside_the_consumer(consumer, old_orders):
    client = boto3.client("dynamodb")
    migrate(client, OLD_TABLE, TABLE)
    consumer.lambda_handler(sqs_event(checkout_event(user="bob")), LambdaContext())  # a new order meanwhile
    again = migrate(client, OLD_TABLE, TABLE)
    assert (again.copied, again.present, len(again.conflicts)) == (0, 2, 1)
    assert len(client.scan(TableName=TABLE)["Items"]) == 3
