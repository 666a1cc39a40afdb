"""The product table as the catalogue's maintenance commands (scripts/replay_catalogue.py and
scripts/backfill_catalogue.py) rewrite it: which table, in AWS or the running local cloud, and one
conditional UpdateItem per product.

With TABLE (`<prefix>-<environment>-product`) a command works on AWS, with credentials allowed
Scan and UpdateItem on that table (the functions' roles may do neither). Without it, it works on
the running local cloud (`make run`): its product table, found through the endpoints.json of its
state directory (that of --port, by default $PORT or 3000).
"""

import argparse
import re
from typing import Any

import boto3
from botocore.exceptions import ClientError

from scripts.localcloud import instance, system
from scripts.localcloud.aws.clients import client as local_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", nargs="?", help="the product table in AWS, <prefix>-<environment>-product")
    parser.add_argument("--endpoint-url", help="another DynamoDB endpoint")
    instance.add_arguments(parser)


def chosen(args: argparse.Namespace) -> tuple[Any, str] | None:
    """(a DynamoDB client, the table) that the arguments name; None, said, if no local cloud runs."""
    if args.table:
        return boto3.client("dynamodb", endpoint_url=args.endpoint_url), args.table
    if args.endpoint_url:  # the local cloud's own endpoint is taken; another needs its table named
        print("--endpoint-url needs a TABLE")
        return None
    state = instance.chosen_state_dir(args)
    if (endpoints := instance.endpoints(state)) is None:
        print(f"{instance.not_found(state)}, or name a TABLE")
        return None
    return local_client("dynamodb", endpoints["aws"]), system.PRODUCT.tables[0].name


def update_each(
    client: Any,
    table: str,
    update: str,
    names: dict[str, str],
    values: dict[str, Any],
    condition: str = "attribute_exists(#id)",
    only: str | None = None,
) -> int:
    """Runs the UpdateItem `update` on every product (those that the filter `only` keeps), if it
    still meets `condition`; returns how many it changed. `#id` names the key in both.

    A product that fails the condition was deleted (or changed) since the scan read it: skipped,
    never made again, since an UpdateItem without the condition would create it.
    """
    scan: dict[str, Any] = {"TableName": table, "ProjectionExpression": "#id"}
    if only:
        scan["FilterExpression"] = only
    # A Scan refuses names its expressions do not use.
    used = {"#id", *re.findall(r"#\w+", only or "")}
    scan["ExpressionAttributeNames"] = {k: v for k, v in names.items() if k in used}
    changed = 0
    for page in client.get_paginator("scan").paginate(**scan):
        for item in page["Items"]:
            try:
                client.update_item(
                    TableName=table,
                    Key={"id": item["id"]},
                    UpdateExpression=update,
                    ConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
                changed += 1
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
    return changed
