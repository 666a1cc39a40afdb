import copy
import json
import uuid

import pytest
from moto import mock_aws

from scripts.localcloud import system
from tests.helpers import checkout_schema, create_tables, fresh_import

TABLE = system.ORDER.tables[0].name


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.ORDER)
        yield


@pytest.fixture
def api(aws, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("ADMIN_GROUP", system.ADMIN_GROUP)
    return fresh_import("order.handler")


@pytest.fixture
def consumer(aws, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    return fresh_import("order.consumer")


def checkout_event(user: str = "swn", checked_out_at: str = "2026-11-26T10:15:30.123Z", **detail) -> dict:
    """A CheckoutBasket event (the contract's first example) with a fresh checkout id."""
    event = copy.deepcopy(checkout_schema()["examples"][0])
    event["detail"].update(checkoutId=str(uuid.uuid4()), userName=user, checkedOutAt=checked_out_at, **detail)
    return event


def sqs_event(*bodies: str | dict) -> dict:
    """An SQS event as Lambda's event source mapping delivers it."""
    from scripts.localcloud.event_sources.sqs import sqs_record

    messages = [
        {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": uuid.uuid4().hex,
            "Body": body if isinstance(body, str) else json.dumps(body),
            "MD5OfBody": "0" * 32,
            "Attributes": {"ApproximateReceiveCount": "1"},
        }
        for body in bodies
    ]
    return {"Records": [sqs_record(m, "arn:aws:sqs:us-east-1:123456789012:orders") for m in messages]}
