"""Puts the products stored before `catalogue-index` existed into it: a one-off migration.

    python -m scripts.backfill_catalogue [TABLE] [--endpoint-url URL] [--port PORT | --state-dir DIR]

`GET /product` lists the catalogue through `catalogue-index`, which holds only the items that
have `catalogue` = "all"; products written before the index have no such attribute. Run this
once after deploying the index and before (or right after) the new code (TABLE in AWS, or the
running local cloud's: scripts/product_table.py).
It is safe to run again; it touches only items without the attribute, and never recreates a
product deleted meanwhile.
"""

import argparse
import sys
from typing import Any

from scripts import product_table

CATALOGUE = "all"  # product.repository._CATALOGUE


def backfill(client: Any, table: str) -> int:
    """Sets `catalogue` on every product without it; returns how many it changed."""
    return product_table.update_each(
        client,
        table,
        "SET #catalogue = :all",
        {"#id": "id", "#catalogue": "catalogue"},
        {":all": {"S": CATALOGUE}},
        condition="attribute_exists(#id) AND attribute_not_exists(#catalogue)",
        only="attribute_not_exists(#catalogue)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    product_table.add_arguments(parser)
    target = product_table.chosen(parser.parse_args(argv))
    if target is None:
        return 1
    print(f"{backfill(*target)} product(s) added to the catalogue listing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
