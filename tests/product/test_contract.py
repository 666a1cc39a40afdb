"""The producer's side of the product events' contracts (contracts/events/ProductChanged.json and
ProductDeleted.json)."""

import pytest

from product.events import (
    CHANGED_DETAIL_TYPE,
    DELETED_DETAIL_TYPE,
    EVENT_SOURCE,
    ProductChanged,
    ProductDeleted,
)
from tests.helpers import ADMIN, call, event_schema, schema_validator
from tests.product.test_stream import publish

SCHEMAS = {
    "ProductChanged": (event_schema("ProductChanged"), ProductChanged, CHANGED_DETAIL_TYPE),
    "ProductDeleted": (event_schema("ProductDeleted"), ProductDeleted, DELETED_DETAIL_TYPE),
}


def model_fields(model) -> tuple[set[str], set[str]]:
    return set(model.model_fields), {name for name, f in model.model_fields.items() if f.is_required()}


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_schema_names_the_source_and_detail_type_the_service_publishes(name):
    schema, _, detail_type = SCHEMAS[name]
    assert schema["properties"]["source"]["enum"] == [EVENT_SOURCE]
    assert schema["properties"]["detail-type"]["enum"] == [detail_type] == [name]


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_model_and_the_schema_have_the_same_fields(name):
    schema, model, _ = SCHEMAS[name]
    node = schema["definitions"][name]
    # description has a default in the model, so that a product stored without one makes an event;
    # the event always carries it.
    required = set(node["required"]) - {"description"}
    assert model_fields(model) == (set(node["properties"]), required)


def bounds(node: dict) -> dict:
    """The bounds a JSON Schema gives a field; an optional field's are those of its non-null form."""
    (node,) = [n for n in node.get("anyOf", [node]) if n.get("type") != "null"]
    return {k: node[k] for k in ("minLength", "maxLength", "minimum", "maximum") if k in node}


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_model_has_the_bounds_of_the_schema(name):
    schema, model, _ = SCHEMAS[name]
    ours = model.model_json_schema()["properties"]
    for field, node in schema["definitions"][name]["properties"].items():
        assert bounds(ours[field]) == bounds(node), field


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_schema_has_examples_and_they_are_valid(name):
    schema = SCHEMAS[name][0]
    validator = schema_validator(schema)
    assert len(schema["examples"]) >= 1
    for example in schema["examples"]:
        validator.validate(example)


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_model_accepts_every_example_as_it_is(name):
    schema, model, _ = SCHEMAS[name]
    for example in schema["examples"]:
        detail = model.model_validate(example["detail"])
        assert detail.model_dump(mode="json", exclude_none=True) == example["detail"]


def test_the_schema_refuses_what_the_model_refuses():
    schema = SCHEMAS["ProductChanged"][0]
    example = schema["examples"][0]
    validator = schema_validator(schema)
    for broken in (
        {**example, "source": "shop.basket"},
        {**example, "detail": {**example["detail"], "price": -1}},
        {**example, "detail": {**example["detail"], "version": -1}},
        {**example, "detail": {**example["detail"], "version": 1.5}},
        {**example, "detail": {k: v for k, v in example["detail"].items() if k != "price"}},
        {**example, "detail": {**example["detail"], "writeId": "internal"}},
    ):
        assert not validator.is_valid(broken)


def test_the_events_the_publisher_emits_are_valid(handler, stream, publisher, bus_events):
    _, product = call(
        handler, "POST", "/product", {"name": "Cable", "category": "x", "price": 0}, caller=ADMIN
    )
    _, full = call(
        handler,
        "POST",
        "/product",
        {"name": "Phone", "category": "x", "price": 950.5, "description": "d", "imageFile": "p.png"},
        caller=ADMIN,
    )
    call(handler, "PUT", f"/product/{product['id']}", {"imageFile": None, "price": 1}, caller=ADMIN)
    call(handler, "DELETE", f"/product/{full['id']}", caller=ADMIN)
    assert publish(publisher, stream.event()) == []
    published = bus_events.all()
    assert [e["detail-type"] for e in published] == ["ProductChanged"] * 3 + ["ProductDeleted"]
    for event in published:
        # The envelope is EventBridge's (moto's lacks some fields); the service owns these parts.
        schema = SCHEMAS[event["detail-type"]][0]
        assert event["source"] == EVENT_SOURCE
        detail_schema = {
            "$ref": f"#/definitions/{event['detail-type']}",
            "definitions": schema["definitions"],
        }
        schema_validator(detail_schema).validate(event["detail"])
