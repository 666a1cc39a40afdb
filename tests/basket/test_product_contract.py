"""The consumer's side of the product events' contracts (contracts/events/ProductChanged.json and
ProductDeleted.json): the replica's consumer applies every example, and reads only their fields."""

from decimal import Decimal

import pytest

from basket.product_events import (
    PRODUCT_SOURCE,
    ProductChangedDetail,
    ProductChangedEvent,
    ProductDeletedDetail,
    ProductDeletedEvent,
)
from tests.basket.test_replica_consumer import consume, stored
from tests.helpers import event_schema

CHANGED, DELETED = event_schema("ProductChanged"), event_schema("ProductDeleted")


@pytest.mark.parametrize("example", CHANGED["examples"], ids=lambda e: e["detail"]["name"])
def test_the_consumer_stores_every_product_changed_example(replica_consumer, example):
    assert consume(replica_consumer, example) == []
    detail = example["detail"]
    entry = stored(replica_consumer, detail["id"])
    assert (entry.name, entry.price, entry.version) == (
        detail["name"],
        Decimal(str(detail["price"])),
        detail["version"],
    )


@pytest.mark.parametrize("example", DELETED["examples"], ids=lambda e: e["detail"]["id"])
def test_the_consumer_applies_every_product_deleted_example(replica_consumer, example):
    assert consume(replica_consumer, example) == []
    entry = stored(replica_consumer, example["detail"]["id"])
    assert entry.deleted and entry.version == example["detail"]["version"]


@pytest.mark.parametrize(
    ("model", "schema", "definition"),
    [(ProductChangedDetail, CHANGED, "ProductChanged"), (ProductDeletedDetail, DELETED, "ProductDeleted")],
)
def test_the_consumer_reads_only_fields_of_the_contract(model, schema, definition):
    assert set(model.model_fields) <= set(schema["definitions"][definition]["properties"])


@pytest.mark.parametrize(
    ("model", "schema"), [(ProductChangedEvent, CHANGED), (ProductDeletedEvent, DELETED)]
)
def test_the_consumer_accepts_the_source_and_detail_type_of_the_contract(model, schema):
    assert schema["properties"]["source"]["enum"] == [PRODUCT_SOURCE]
    annotation = model.model_fields["detail_type"].annotation
    assert list(annotation.__args__) == schema["properties"]["detail-type"]["enum"]
