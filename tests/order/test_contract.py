"""The consumer's side of the CheckoutBasket contract: it accepts every example of the schema."""

from decimal import Decimal

import pytest

from order.models import CheckoutBasketDetail, OrderItem
from order.orders import DateFilter
from shop_common.pagination import PageRequest
from tests.helpers import LambdaContext, checkout_schema
from tests.order.conftest import sqs_event

SCHEMA = checkout_schema()


@pytest.mark.parametrize("example", SCHEMA["examples"], ids=lambda e: e["detail"]["userName"])
def test_the_consumer_makes_an_order_of_every_example(consumer, example):
    assert consumer.lambda_handler(sqs_event(example), LambdaContext()) == {"batchItemFailures": []}
    detail = example["detail"]
    (order,) = consumer.repository.list_for_user(detail["userName"], DateFilter(), PageRequest()).items
    assert order.orderId == detail["checkoutId"]
    assert order.totalPrice == Decimal(str(detail["totalPrice"]))


@pytest.mark.parametrize(
    ("model", "definition"), [(CheckoutBasketDetail, "CheckoutBasket"), (OrderItem, "BasketItem")]
)
def test_the_consumer_reads_only_fields_of_the_contract(model, definition):
    assert set(model.model_fields) <= set(SCHEMA["definitions"][definition]["properties"])
