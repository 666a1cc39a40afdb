"""The consumer's side of the CheckoutBasket contract: it reads every example of the schema, and
it refuses every event that breaks the schema: each constraint of the schema, broken in turn on
the first example, is refused by the JSON Schema validator (so the case is truly invalid) and by
the consumer's model, and such an event makes no order and is reported as a batch item failure.
"""

import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from order.models import CheckoutBasketDetail, CheckoutBasketEvent, CheckoutLine
from order.orders import DateFilter
from shop_common.pagination import PageRequest
from tests.helpers import LambdaContext, checkout_schema, schema_validator
from tests.order.conftest import sqs_event

SCHEMA = checkout_schema()
VALIDATOR = schema_validator(SCHEMA)
MISSING = object()


@pytest.mark.parametrize("example", SCHEMA["examples"], ids=lambda e: e["detail"]["userName"])
def test_the_consumer_makes_an_order_of_every_example(consumer, example):
    assert consumer.lambda_handler(sqs_event(example), LambdaContext()) == {"batchItemFailures": []}
    detail = example["detail"]
    (order,) = consumer.repository.list_for_user(detail["userName"], DateFilter(), PageRequest()).items
    assert order.orderId == detail["checkoutId"]
    assert order.totalPrice == Decimal(str(detail["totalPrice"]))
    assert consumer.repository.get(detail["checkoutId"]) == order


@pytest.mark.parametrize(
    ("model", "definition"), [(CheckoutBasketDetail, "CheckoutBasket"), (CheckoutLine, "BasketItem")]
)
def test_the_consumer_reads_the_fields_of_the_contract(model, definition):
    node = SCHEMA["definitions"][definition]
    assert set(model.model_fields) == set(node["properties"])
    assert {n for n, f in model.model_fields.items() if f.is_required()} == set(node["required"])


def test_the_envelope_is_read_as_the_contract_has_it():
    fields = {f.alias or n for n, f in CheckoutBasketEvent.model_fields.items()}
    assert fields == set(SCHEMA["properties"])
    required = {f.alias or n for n, f in CheckoutBasketEvent.model_fields.items() if f.is_required()}
    assert required == set(SCHEMA["required"])


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return SCHEMA["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def wrong_type(kind: str) -> Any:
    return {"string": 12, "number": "12", "integer": 1.5, "array": {}, "object": []}[kind]


def breaking(node: dict[str, Any], value: Any) -> Iterator[tuple[str, Any]]:
    """(constraint, a value that breaks it) for each constraint of `node`; `value` is a valid one."""
    node = resolved(node)
    if "type" in node:
        yield "type", wrong_type(node["type"])
        if node["type"] in ("string", "number", "integer"):
            yield "null", None
    if "enum" in node:
        yield "enum", "someone.else"
    if "minLength" in node:
        yield "minLength", ""
    if "maxLength" in node:
        yield "maxLength", "a" * (node["maxLength"] + 1)
    if "pattern" in node:
        yield "pattern", "not valid here"
    if "minimum" in node:
        yield "minimum", node["minimum"] - 1
    if "maximum" in node:
        yield "maximum", node["maximum"] + 1
    if "minItems" in node:
        yield "minItems", []
    if "maxItems" in node:
        yield "maxItems", [value[0]] * (node["maxItems"] + 1)
    if node.get("format") == "email":
        yield "format", "not-an-email"
    if node.get("format") == "date-time":
        yield "format", "yesterday"


def cases(node: dict[str, Any], value: Any, path: tuple) -> Iterator[tuple[tuple, str, Any]]:
    """(path, constraint, value) breaking each constraint of the schema, nested ones too."""
    node = resolved(node)
    for constraint, bad in breaking(node, value):
        yield path, constraint, bad
    if node.get("type") == "object" or "properties" in node:
        for name in node.get("required", []):
            yield (*path, name), "required", MISSING
        for name, child in node.get("properties", {}).items():
            if name in value:
                yield from cases(child, value[name], (*path, name))
    if node.get("type") == "array" and "items" in node and value:
        yield from cases(node["items"], value[0], (*path, 0))


def broken(path: tuple, bad: Any) -> dict[str, Any]:
    event = copy.deepcopy(SCHEMA["examples"][0])
    *parents, last = path
    target = event
    for part in parents:
        target = target[part]
    if bad is MISSING:
        del target[last]
    else:
        target[last] = bad
    return event


CASES = [
    pytest.param(path, bad, id=f"{'.'.join(map(str, path))}:{constraint}")
    for path, constraint, bad in cases(SCHEMA, SCHEMA["examples"][0], ())
    if path  # the event as a whole is an object either way
]


def test_every_constraint_of_the_schema_is_tried():
    constraints = {c.id.rsplit(":", 1)[1] for c in CASES}
    assert constraints >= {"type", "null", "enum", "minLength", "maxLength", "pattern", "minimum"}
    assert constraints >= {"maximum", "minItems", "maxItems", "format", "required"}
    assert len(CASES) > 80


@pytest.mark.parametrize(("path", "bad"), CASES)
def test_an_event_that_breaks_the_schema_is_refused(path, bad):
    event = broken(path, bad)
    assert not VALIDATOR.is_valid(event)  # the case does break the contract
    with pytest.raises(ValidationError):
        CheckoutBasketEvent.model_validate_json(json.dumps(event))  # as the consumer reads a record


def test_fields_the_contract_does_not_know_are_ignored_as_it_says():
    """The contract's rule for readers: the producer may add fields before its readers know them."""
    event = copy.deepcopy(SCHEMA["examples"][0])
    event["detail"]["loyaltyPoints"] = 12
    event["detail"]["items"][0]["giftWrap"] = True
    assert not VALIDATOR.is_valid(event)  # today's schema forbids them
    read = CheckoutBasketEvent.model_validate_json(json.dumps(event))
    assert read.detail.checkoutId == event["detail"]["checkoutId"]


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("source",), "someone.else"),
        (("detail", "userName"), "not a user"),
        (("detail", "items", 0, "quantity"), 2.5),
        (("detail", "items", 0, "color"), None),
        (("detail", "email"), "nobody"),
        (("detail", "checkedOutAt"), "yesterday"),
        (("detail", "items"), []),
        (("detail",), MISSING),
    ],
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else "",
)
def test_the_consumer_refuses_an_invalid_event_and_makes_no_order(consumer, path, bad):
    event = sqs_event(broken(path, bad))
    response = consumer.lambda_handler(event, LambdaContext())
    # A batch item failure: SQS delivers it again, then moves it to the DLQ; never dropped.
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    assert consumer.repository.list(PageRequest()).items == []
