"""The producer's side of the CheckoutBasket contract (contracts/events/CheckoutBasket.json)."""

import pytest

from basket.models import CHECKOUT_DETAIL_TYPE, EVENT_SOURCE, BasketItem, CheckoutBasket
from tests.basket.test_models import CHECKOUT, LINE
from tests.helpers import call, checkout_schema, claims, schema_validator

SCHEMA = checkout_schema()


def json_schema_fields(definition: str) -> tuple[set[str], set[str]]:
    node = SCHEMA["definitions"][definition]
    return set(node["properties"]), set(node["required"])


def model_fields(model) -> tuple[set[str], set[str]]:
    return set(model.model_fields), {name for name, f in model.model_fields.items() if f.is_required()}


def test_the_schema_names_the_source_and_detail_type_the_service_publishes():
    assert SCHEMA["properties"]["source"]["enum"] == [EVENT_SOURCE]
    assert SCHEMA["properties"]["detail-type"]["enum"] == [CHECKOUT_DETAIL_TYPE]


@pytest.mark.parametrize(
    ("model", "definition"), [(CheckoutBasket, "CheckoutBasket"), (BasketItem, "BasketItem")]
)
def test_the_model_and_the_schema_have_the_same_fields(model, definition):
    assert model_fields(model) == json_schema_fields(definition)


def test_the_schema_has_examples_and_they_are_valid():
    validator = schema_validator(SCHEMA)
    assert len(SCHEMA["examples"]) >= 1
    for example in SCHEMA["examples"]:
        validator.validate(example)


def test_the_model_accepts_every_example_as_it_is():
    for example in SCHEMA["examples"]:
        detail = CheckoutBasket.model_validate(example["detail"])
        assert detail.model_dump(mode="json", exclude_none=True) == example["detail"]


def test_the_schema_refuses_what_the_model_refuses():
    example = SCHEMA["examples"][0]
    validator = schema_validator(SCHEMA)
    for broken in (
        {**example, "source": "someone.else"},
        {**example, "detail": {**example["detail"], "cardInfo": "4111"}},
        {**example, "detail": {**example["detail"], "items": []}},
        {**example, "detail": {**example["detail"], "email": "not-an-email"}},
        {**example, "detail": {**example["detail"], "checkedOutAt": "yesterday"}},
    ):
        assert not validator.is_valid(broken)


def test_the_events_the_service_emits_are_valid(handler, published, catalogue):
    catalogue.offer("p2", "Cable", "0")
    lines = [
        {"productId": LINE["productId"], "quantity": 2},
        {"productId": "p2", "color": "red", "quantity": 999},
    ]
    call(handler, "POST", "/basket", {"userName": "swn", "items": lines}, caller=claims("swn"))
    assert call(handler, "POST", "/basket/checkout", CHECKOUT, caller=claims("swn"))[0] == 202
    (event,) = published.all()
    # The envelope is EventBridge's (moto's lacks some fields); the service owns these parts.
    assert (event["source"], event["detail-type"]) == (EVENT_SOURCE, CHECKOUT_DETAIL_TYPE)
    detail_schema = {"$ref": "#/definitions/CheckoutBasket", "definitions": SCHEMA["definitions"]}
    schema_validator(detail_schema).validate(event["detail"])
