"""The consumer's side of the product events' contracts (contracts/events/ProductChanged.json and
ProductDeleted.json): the replica's consumer applies every example of the schemas, and it refuses
every event that breaks them: each constraint of a schema, broken in turn on its first example, is
refused by the JSON Schema validator (so the case is truly invalid) and by the consumer's model,
and such an event changes nothing and is reported as a batch item failure (so it ends in the DLQ).
"""

import copy
import json
from decimal import Decimal

import pytest

from basket import product_events
from basket.product_events import (
    PRODUCT_SOURCE,
    ProductChangedDetail,
    ProductChangedEvent,
    ProductDeletedDetail,
    ProductDeletedEvent,
)
from tests.basket.test_replica_consumer import consume, stored
from tests.helpers import event_schema, schema_validator
from tests.schema_cases import MISSING, breaking_cases, broken, constraints_of

CHANGED, DELETED = event_schema("ProductChanged"), event_schema("ProductDeleted")
CONTRACTS = {"ProductChanged": CHANGED, "ProductDeleted": DELETED}
DETAILS = {"ProductChanged": ProductChangedDetail, "ProductDeleted": ProductDeletedDetail}
EVENTS = {"ProductChanged": ProductChangedEvent, "ProductDeleted": ProductDeletedEvent}
CASES = [
    pytest.param(name, *case.values, id=f"{name}:{case.id}")
    for name, schema in CONTRACTS.items()
    for case in breaking_cases(schema)
]


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


@pytest.mark.parametrize("name", CONTRACTS)
def test_the_consumer_reads_the_fields_of_the_contract(name):
    node, model = CONTRACTS[name]["definitions"][name], DETAILS[name]
    assert set(model.model_fields) == set(node["properties"])
    assert {n for n, f in model.model_fields.items() if f.is_required()} == set(node["required"])


@pytest.mark.parametrize("name", CONTRACTS)
def test_the_envelope_is_read_as_the_contract_has_it(name):
    schema, model = CONTRACTS[name], EVENTS[name]
    assert {f.alias or n for n, f in model.model_fields.items()} == set(schema["properties"])
    required = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    assert required == set(schema["required"])
    assert schema["properties"]["source"]["enum"] == [PRODUCT_SOURCE]
    assert list(model.model_fields["detail_type"].annotation.__args__) == [name]


def test_every_constraint_of_the_schemas_is_tried():
    constraints = constraints_of(CASES)
    assert constraints >= {"type", "null", "enum", "minLength", "maxLength", "minimum", "maximum"}
    assert constraints >= {"format", "required"}
    assert len(CASES) > 50


@pytest.mark.parametrize(("name", "path", "bad"), CASES)
def test_an_event_that_breaks_the_schema_is_refused(name, path, bad):
    event = broken(CONTRACTS[name], path, bad)
    assert not schema_validator(CONTRACTS[name]).is_valid(event)  # the case does break the contract
    with pytest.raises(product_events.InvalidProductEvent):
        product_events.parse(json.dumps(event))  # as the consumer reads a record


@pytest.mark.parametrize("name", CONTRACTS)
def test_fields_the_contract_does_not_know_are_ignored_as_it_says(name):
    """The contracts' rule for readers: the producer may add fields before its readers know them."""
    event = copy.deepcopy(CONTRACTS[name]["examples"][0])
    event["detail"]["colour"] = "black"
    assert not schema_validator(CONTRACTS[name]).is_valid(event)  # today's schemas forbid them
    assert product_events.parse(json.dumps(event)).detail.id == event["detail"]["id"]


def invalid(name: str, path: tuple, bad) -> pytest.param:
    return pytest.param(name, path, bad, id=f"{name}:{'.'.join(path)}")


@pytest.mark.parametrize(
    ("name", "path", "bad"),
    [
        invalid("ProductChanged", ("source",), "shop.basket"),
        invalid("ProductChanged", ("detail", "name"), "a" * 201),
        invalid("ProductChanged", ("detail", "price"), 1000001),
        invalid("ProductChanged", ("detail", "category"), MISSING),
        invalid("ProductChanged", ("detail", "imageFile"), None),
        invalid("ProductChanged", ("detail", "version"), "3"),
        invalid("ProductChanged", ("time",), "yesterday"),
        invalid("ProductDeleted", ("detail", "version"), -1),
        invalid("ProductDeleted", ("account",), MISSING),
    ],
)
def test_the_consumer_refuses_an_invalid_event_and_changes_nothing(replica_consumer, name, path, bad):
    event = broken(CONTRACTS[name], path, bad)
    assert not schema_validator(CONTRACTS[name]).is_valid(event)
    # A batch item failure: SQS delivers it again, then moves it to the DLQ; never dropped.
    assert consume(replica_consumer, event) == [0]
    assert stored(replica_consumer, CONTRACTS[name]["examples"][0]["detail"]["id"]) is None
