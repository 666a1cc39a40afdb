import json

import boto3
import pytest
from moto import mock_aws

from scripts.localcloud import system
from tests.helpers import create_tables, fresh_import

TABLE = system.BASKET.tables[0].name
BUS = system.BUS


class PublishedEvents:
    """Every event published on the bus, read from a queue that a catch-all rule fills."""

    def __init__(self):
        events, sqs = boto3.client("events"), boto3.client("sqs")
        events.create_event_bus(Name=BUS)
        self._sqs = sqs
        self._url = sqs.create_queue(QueueName="published")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        events.put_rule(
            Name="everything", EventBusName=BUS, EventPattern=json.dumps({"source": ["shop.basket"]})
        )
        events.put_targets(Rule="everything", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])
        self._seen: list[dict] = []

    def all(self) -> list[dict]:
        while True:
            messages = self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                return self._seen
            for message in messages:
                self._seen.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.BASKET)
        yield


@pytest.fixture
def published(aws):
    return PublishedEvents()


@pytest.fixture
def handler(published, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    monkeypatch.setenv("ADMIN_GROUP", system.ADMIN_GROUP)
    return fresh_import("basket.handler")
