"""The consumer's side of the CheckoutBasket contract: it reads every example of the schema, and
it refuses every event that breaks the schema: each constraint of the schema, broken in turn on
the first example, is refused by the JSON Schema validator (so the case is truly invalid) and by
the consumer's model, and such an event makes no order and is reported as a batch item failure.
"""

import copy
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from order.models import CheckoutBasketDetail, CheckoutBasketEvent, CheckoutLine
from order.orders import DateFilter
from shop_common.pagination import PageRequest
from tests.helpers import LambdaContext, checkout_schema, schema_validator
from tests.order.conftest import sqs_event
from tests.schema_cases import MISSING, breaking_cases, broken, constraints_of

SCHEMA = checkout_schema()
VALIDATOR = schema_validator(SCHEMA)


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


CASES = breaking_cases(SCHEMA)


def test_every_constraint_of_the_schema_is_tried():
    constraints = constraints_of(CASES)
    assert constraints >= {"type", "null", "enum", "minLength", "maxLength", "pattern", "minimum"}
    assert constraints >= {"maximum", "minItems", "maxItems", "format", "required"}
    assert len(CASES) > 80


@pytest.mark.parametrize(("path", "bad"), CASES)
def test_an_event_that_breaks_the_schema_is_refused(path, bad):
    event = broken(SCHEMA, path, bad)
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
    event = sqs_event(broken(SCHEMA, path, bad))
    response = consumer.lambda_handler(event, LambdaContext())
    # A batch item failure: SQS delivers it again, then moves it to the DLQ; never dropped.
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    assert consumer.repository.list(PageRequest()).items == []
