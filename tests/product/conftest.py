import json

import boto3
import pytest
from moto import mock_aws

from scripts.localcloud import system
from scripts.localcloud.event_sources.dynamodb_stream import stream_record
from tests.helpers import create_tables, fresh_import

TABLE = system.PRODUCT.tables[0].name
BUS = system.BUS
STREAMS_ENDPOINT = f"https://streams.dynamodb.{system.REGION}.amazonaws.com/"


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.PRODUCT)
        yield


@pytest.fixture
def handler(aws, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("ADMIN_GROUP", system.ADMIN_GROUP)
    return fresh_import("product.handler")


class Stream:
    """The product table's stream on moto, read as Lambda's event source mapping reads it."""

    def __init__(self):
        # botocore's account-based endpoint (<account>.streams-ddb...) is not one moto's mock knows.
        self._client = boto3.client("dynamodbstreams", endpoint_url=STREAMS_ENDPOINT)
        self.arn = boto3.client("dynamodb").describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
        shard = self._client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][0]
        self._iterator = self._client.get_shard_iterator(
            StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]

    def event(self) -> dict:
        """A Lambda DynamoDB stream event of the records written since the last call."""
        response = self._client.get_records(ShardIterator=self._iterator)
        self._iterator = response["NextShardIterator"]
        # Through JSON, as Lambda hands it over.
        records = [stream_record(r, self.arn) for r in response["Records"]]
        return json.loads(json.dumps({"Records": records}, default=str))


@pytest.fixture
def stream(aws):
    return Stream()


class BusEvents:
    """Every product event published on the bus, read from a queue that a catch-all rule fills."""

    def __init__(self):
        events, self._sqs = boto3.client("events"), boto3.client("sqs")
        events.create_event_bus(Name=BUS)
        self._url = self._sqs.create_queue(QueueName="product-events")["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"]
        events.put_rule(Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": ["shop.product"]}))
        events.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])
        self._seen: list[dict] = []

    def all(self) -> list[dict]:
        while messages := self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                self._seen.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
        return list(self._seen)


@pytest.fixture
def bus_events(aws):
    return BusEvents()


@pytest.fixture
def publisher(bus_events, monkeypatch):
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    return fresh_import("product.stream")
