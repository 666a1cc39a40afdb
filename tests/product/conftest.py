import json

import boto3
import pytest
from moto import mock_aws

from scripts.faults.bus_events import BusEvents
from scripts.localcloud import system
from scripts.localcloud.aws.clients import STREAMS_ENDPOINT
from scripts.localcloud.event_sources.dynamodb_stream import stream_record
from tests.helpers import create_tables, fresh_import

TABLE = system.PRODUCT.tables[0].name
BUS = system.BUS


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


@pytest.fixture
def bus_events(aws):
    return BusEvents("shop.product")


@pytest.fixture
def publisher(bus_events, monkeypatch):
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    return fresh_import("product.stream")
