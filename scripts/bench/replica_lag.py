"""Product-write-to-replica lag on the local cloud: how long after the product API answered a write
the basket's catalogue replica holds it (the table's stream, the stream mapping's poll, the
publisher, the bus, the catalogue queue and the replica's consumer).

    python -m scripts.bench.replica_lag [--writes N] [--port PORT | --state-dir DIR]     (needs `make run`)

Each write is a PUT /product/{id} (a new price, hence a new version) of one of a few products
made first; the replica's item is then read every 2 ms from the embedded AWS until it holds
that version. Writes are made one after the other, so each lag is the path's own, not a
queue's. Prints the lags' p50, p95 and maximum in ms (JSON with --json).
"""

import argparse
import json
import sys
import time
from typing import Any

import requests

from scripts.bench.stats import percentile
from scripts.localcloud import instance, system
from scripts.localcloud.aws.clients import client
from scripts.token import id_token

POLL_SECONDS = 0.002
TIMEOUT_SECONDS = 30.0


def replica_version(dynamodb: Any, product_id: str) -> int | None:
    item = dynamodb.get_item(
        TableName=system.CATALOGUE_TABLE, Key={"productId": {"S": product_id}}, ConsistentRead=True
    ).get("Item")
    return int(item["version"]["N"]) if item else None


def wait_for(dynamodb: Any, product_id: str, version: int) -> float:
    """Seconds until the replica holds `version` of the product."""
    started = time.perf_counter()
    while (replica_version(dynamodb, product_id) or -1) < version:
        if time.perf_counter() - started > TIMEOUT_SECONDS:
            raise RuntimeError(
                f"product {product_id} v{version} did not reach the replica in {TIMEOUT_SECONDS} s"
            )
        time.sleep(POLL_SECONDS)
    return time.perf_counter() - started


def measure(api: str, aws_endpoint: str, writes: int = 50, products: int = 5) -> dict[str, Any]:
    """Makes `products` products, then `writes` price changes among them; returns the lags (ms)."""
    dynamodb = client("dynamodb", aws_endpoint)
    session = requests.Session()
    session.headers["Authorization"] = id_token(aws_endpoint, "bench-admin", admin=True)
    made = []
    for i in range(products):
        response = session.post(
            f"{api}/product", json={"name": f"lag {i}", "category": "bench-lag", "price": 1}, timeout=30
        )
        response.raise_for_status()
        made.append(response.json()["id"])
    for product_id in made:
        wait_for(dynamodb, product_id, 1)  # the first write of each is not timed: cold starts
    lags = []
    for i in range(writes):
        product_id = made[i % products]
        response = session.put(f"{api}/product/{product_id}", json={"price": 2 + i}, timeout=30)
        response.raise_for_status()
        version = int(response.headers["ETag"].strip('"'))
        lags.append(wait_for(dynamodb, product_id, version) * 1000)
    return {
        "writes": writes,
        "p50_ms": round(percentile(lags, 0.50), 1),
        "p95_ms": round(percentile(lags, 0.95), 1),
        "max_ms": round(max(lags), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writes", type=int, default=50)
    instance.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    state = instance.chosen_state_dir(args)
    found = instance.endpoints(state)
    if found is None:
        print(f"{instance.not_found(state)} first", file=sys.stderr)
        return 1
    figures = measure(found["api"], found["aws"], args.writes)
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"product write -> catalogue replica, {figures['writes']} writes: "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
