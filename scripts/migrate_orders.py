"""Copies the orders of the table they were kept in before orders were keyed on their id into
the order table: a one-off migration.

    python -m scripts.migrate_orders OLD_TABLE NEW_TABLE [--endpoint-url URL]

OLD_TABLE is <prefix>-<environment>-order (keys userName and orderKey), which Terraform now
forgets without deleting (terraform/modules/order: removed block); NEW_TABLE is
<prefix>-<environment>-orders (key orderId), which the order functions use. Run it once right
after applying the order root, with credentials allowed Scan on the old table and PutItem on the
new one (the functions' roles may do neither). Each order is put unless an order with its id
is there, so it is safe while the consumer writes and safe to run again. The old table may hold
two items of one checkout (the double order of issue 12): the first copied stands, and each
other is listed, for someone to look at. Delete the old table by hand once the copy is checked.
"""

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError


@dataclass
class Migration:
    copied: int = 0
    present: int = 0  # already in the new table, the same order
    conflicts: list[str] = field(default_factory=list)  # orderIds of a second, different order


def migrate(client: Any, old_table: str, new_table: str) -> Migration:
    result = Migration()
    for page in client.get_paginator("scan").paginate(TableName=old_table, ConsistentRead=True):
        for item in page["Items"]:
            try:
                client.put_item(
                    TableName=new_table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(#id)",
                    ExpressionAttributeNames={"#id": "orderId"},
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
                result.copied += 1
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                stored = {k: v for k, v in error.response.get("Item", {}).items() if k != "writeId"}
                if stored == {k: v for k, v in item.items() if k != "writeId"}:
                    result.present += 1
                else:
                    result.conflicts.append(item["orderId"]["S"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("old_table", help="the order table keyed on userName, <prefix>-<environment>-order")
    parser.add_argument("new_table", help="the order table keyed on orderId, <prefix>-<environment>-orders")
    parser.add_argument("--endpoint-url", help="another DynamoDB endpoint (the local cloud's)")
    args = parser.parse_args(argv)
    client = boto3.client("dynamodb", endpoint_url=args.endpoint_url)
    result = migrate(client, args.old_table, args.new_table)
    print(f"{result.copied} order(s) copied, {result.present} already there")
    for order_id in result.conflicts:
        print(f"order {order_id}: another order of this checkout is in the old table (not copied)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
