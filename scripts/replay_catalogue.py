"""`make replay-catalogue`: republishes every product at its current version, through the product
table's stream, so that a replica of the catalogue (the basket's) is built or rebuilt.

    python -m scripts.replay_catalogue [TABLE] [--endpoint-url URL] [--port PORT | --state-dir DIR]

Without TABLE it works on the running local cloud (`make run`): its product table, found
through the endpoints.json of its state directory (that of --port, by default $PORT or 3000).
With TABLE (`shop-dev-product`) it works on AWS, with credentials allowed Scan and UpdateItem
on that table (the functions' roles may do neither).

When to run it: after the first deployment of the publisher in an environment whose product
table already holds products (they were written before the stream existed), after creating a
new replica or emptying a damaged one, and when the product events' on-failure queue alarms
(stream records were given up).

How: each product is "touched", an UpdateItem that sets only `republishedAt`, on the condition
that it still exists (a product deleted meanwhile is never made again). Its version, and so its
ETag, stays as it is; the stream reports the write, and the publisher publishes ProductChanged
at that same version, by the same path, role and checks as every other product event. A replica
that holds the version already ignores it (events apply only over older versions); one that
lacks it stores it. It is safe to run at any time, and again.

Why not a replay of the bus's archive (which the eventing root keeps): the archive holds events
for `archive_retention_days` only (7 in dev, 90 in prod), so a product unchanged for longer
would be missing, and products written before the publisher existed were never published at
all. The table is the catalogue; the archive is only its recent history. Deleted products are
not republished: a replica rebuilt from empty has no tombstone for them, and so does not price
them, as it should not.
"""

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from scripts.localcloud import instance, system
from scripts.localcloud.aws.clients import client as local_client


def replay(client: Any, table: str) -> int:
    """Touches every product of `table`; returns how many it touched."""
    touched = 0
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    pages = client.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression="#id", ExpressionAttributeNames={"#id": "id"}
    )
    for page in pages:
        for item in page["Items"]:
            try:
                client.update_item(
                    TableName=table,
                    Key={"id": item["id"]},
                    UpdateExpression="SET #republished = :now",
                    ConditionExpression="attribute_exists(#id)",
                    ExpressionAttributeNames={"#id": "id", "#republished": "republishedAt"},
                    ExpressionAttributeValues={":now": {"S": now}},
                )
                touched += 1
            except ClientError as error:
                # Deleted since the scan read it: nothing to republish.
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
    return touched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("table", nargs="?", help="the product table in AWS, <prefix>-<environment>-product")
    parser.add_argument("--endpoint-url", help="another DynamoDB endpoint")
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.table:
        client, table = boto3.client("dynamodb", endpoint_url=args.endpoint_url), args.table
    else:
        endpoints = instance.chosen_state_dir(args) / "endpoints.json"
        if not endpoints.exists():
            print(f"No local cloud found ({endpoints} is missing): start `make run`, or name a TABLE")
            return 1
        client = local_client("dynamodb", json.loads(endpoints.read_text())["aws"])
        table = system.PRODUCT.tables[0].name
    touched = replay(client, table)
    print(f"{touched} product(s) of {table} republished; the replicas get them through the product events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
