"""Puts the products stored before `catalogue-index` existed into it: a one-off migration.

    python -m scripts.backfill_catalogue TABLE [--endpoint-url URL]

`GET /product` lists the catalogue through `catalogue-index`, which holds only the items that
have `catalogue` = "all"; products written before the index have no such attribute. Run this
once after deploying the index and before (or right after) the new code, with credentials
allowed Scan and UpdateItem on the table: the function's role may do neither Scan nor this.
It is safe to run again; it touches only items without the attribute, and never recreates a
product deleted meanwhile.
"""

import argparse
import sys
from typing import Any

import boto3
from botocore.exceptions import ClientError

CATALOGUE = "all"  # product.repository._CATALOGUE


def backfill(client: Any, table: str) -> int:
    """Sets `catalogue` on every product without it; returns how many it changed."""
    changed = 0
    pages = client.get_paginator("scan").paginate(
        TableName=table,
        ProjectionExpression="#id",
        FilterExpression="attribute_not_exists(#catalogue)",
        ExpressionAttributeNames={"#id": "id", "#catalogue": "catalogue"},
    )
    for page in pages:
        for item in page["Items"]:
            try:
                client.update_item(
                    TableName=table,
                    Key={"id": item["id"]},
                    UpdateExpression="SET #catalogue = :all",
                    ConditionExpression="attribute_exists(#id) AND attribute_not_exists(#catalogue)",
                    ExpressionAttributeNames={"#id": "id", "#catalogue": "catalogue"},
                    ExpressionAttributeValues={":all": {"S": CATALOGUE}},
                )
                changed += 1
            except ClientError as error:
                # A failed condition: deleted or set meanwhile, nothing to do.
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("table", help="the product table, <prefix>-<environment>-product")
    parser.add_argument("--endpoint-url", help="another DynamoDB endpoint (the local cloud's)")
    args = parser.parse_args(argv)
    changed = backfill(boto3.client("dynamodb", endpoint_url=args.endpoint_url), args.table)
    print(f"{changed} product(s) added to the catalogue listing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
