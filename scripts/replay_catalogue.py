"""`make replay-catalogue`: republishes every product at its current version, through the product
table's stream, so that a replica of the catalogue (the basket's) is built or rebuilt.

    python -m scripts.replay_catalogue [TABLE] [--endpoint-url URL] [--port PORT | --state-dir DIR]

Without TABLE it works on the running local cloud (`make run`), with TABLE (`shop-dev-product`)
on AWS (scripts/product_table.py says more).

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
import sys
from datetime import UTC, datetime
from typing import Any

from scripts import product_table


def replay(client: Any, table: str) -> int:
    """Touches every product of `table`; returns how many it touched."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    names = {"#id": "id", "#republished": "republishedAt"}
    return product_table.update_each(client, table, "SET #republished = :now", names, {":now": {"S": now}})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    product_table.add_arguments(parser)
    target = product_table.chosen(parser.parse_args(argv))
    if target is None:
        return 1
    client, table = target
    touched = replay(client, table)
    print(f"{touched} product(s) of {table} republished; the replicas get them through the product events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
