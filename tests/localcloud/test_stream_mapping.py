"""The local DynamoDB stream event source mapping on moto in process: Lambda's event shape, partial
batch failures, bisect on error, bounded retries and record age, and the on-failure queue."""

import json

import boto3
import pytest

from scripts.localcloud import system
from scripts.localcloud.aws.clients import STREAMS_ENDPOINT
from scripts.localcloud.aws.resources import queue_attributes
from scripts.localcloud.event_sources.dynamodb_stream import StreamEventSourceMapping, first_failed
from tests.helpers import LambdaContext
from tests.product.conftest import TABLE, aws, bus_events, publisher  # noqa: F401

(FAILED_QUEUE,) = system.PRODUCT.queues


@pytest.mark.parametrize(
    ("payload", "error", "expected"),
    [
        (b'{"batchItemFailures": []}', False, None),
        (b"null", False, None),
        (b"", False, None),
        (b"{}", False, None),
        (b'{"batchItemFailures": [{"itemIdentifier": "3"}, {"itemIdentifier": "2"}]}', False, 1),
        (b'{"batchItemFailures": [{"itemIdentifier": "2"}]}', True, -1),
        (b'{"batchItemFailures": [{"itemIdentifier": ""}]}', False, 0),
        (b'{"batchItemFailures": [{"itemIdentifier": null}]}', False, 0),
        (b'{"batchItemFailures": [{"itemIdentifier": "9"}]}', False, 0),
        (b'{"batchItemFailures": [{"wrong": "2"}]}', False, 0),
        (b"not json", False, 0),
    ],
)
def test_batch_item_failures_are_read_as_lambda_reads_them_for_streams(payload, error, expected):
    assert first_failed(["1", "2", "3"], payload, error) == expected


def put(*names: str) -> None:
    client = boto3.client("dynamodb")
    for name in names:
        item = {"id": {"S": name}, "name": {"S": name}, "category": {"S": "x"}, "price": {"N": "1"}}
        client.put_item(TableName=TABLE, Item={**item, "version": {"N": "1"}})


class Function:
    """A function that fails as told, recording each batch it gets (by product id)."""

    def __init__(self, crashes_on=(), reports=()):
        self.batches: list[list[str]] = []
        self.crashes_on, self.reports = set(crashes_on), set(reports)
        self.events: list[dict] = []

    def __call__(self, payload: bytes, trace: str) -> tuple[bytes, bool]:
        event = json.loads(payload)
        self.events.append(event)
        ids = [r["dynamodb"]["Keys"]["id"]["S"] for r in event["Records"]]
        self.batches.append(ids)
        if self.crashes_on & set(ids):
            return b'{"errorType": "Crash"}', True
        failed = [
            r["dynamodb"]["SequenceNumber"]
            for r in event["Records"]
            if r["dynamodb"]["Keys"]["id"]["S"] in self.reports
        ]
        self.reports -= set(ids)  # each reported failure happens once
        return json.dumps({"batchItemFailures": [{"itemIdentifier": s} for s in failed]}).encode(), False


@pytest.fixture
def failed_queue(aws):  # noqa: F811
    sqs = boto3.client("sqs")
    return sqs, sqs.create_queue(QueueName=FAILED_QUEUE.name, Attributes=queue_attributes(FAILED_QUEUE))[
        "QueueUrl"
    ]


def mapping(failed_queue, function, **options) -> StreamEventSourceMapping:
    sqs, url = failed_queue
    arn = boto3.client("dynamodb").describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    settings = {"batch_size": 10, "bisect": True, "max_retries": 2, "max_record_age": 3600, **options}
    return StreamEventSourceMapping(
        boto3.client("dynamodbstreams", endpoint_url=STREAMS_ENDPOINT),
        sqs,
        arn,
        function,
        function="shop-local-product-publisher",
        on_failure_url=url,
        retry_seconds=0,
        log=lambda _: None,
        **settings,
    )


def given_up(failed_queue) -> list[dict]:
    sqs, url = failed_queue
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_records_arrive_in_order_as_lambdas_dynamodb_event(failed_queue):
    put("a", "b", "c")
    function = Function()
    esm = mapping(failed_queue, function, batch_size=2)
    assert esm.poll_once() == 2 and esm.poll_once() == 1 and esm.poll_once() == 0
    assert function.batches == [["a", "b"], ["c"]]
    record = function.events[0]["Records"][0]
    assert record["eventSource"] == "aws:dynamodb" and record["eventName"] == "INSERT"
    assert record["eventSourceARN"] == esm.stream_arn and record["awsRegion"] == system.REGION
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)
    assert record["dynamodb"]["NewImage"]["name"] == {"S": "a"}


def test_a_partial_failure_retries_from_the_first_failed_record(failed_queue):
    put("a", "b", "c", "d")
    function = Function(reports={"c", "b"})
    mapping(failed_queue, function).poll_once()
    assert function.batches == [["a", "b", "c", "d"], ["b", "c", "d"]]
    assert given_up(failed_queue) == []


def test_a_function_error_bisects_until_the_poison_record_is_alone_then_gives_it_up(failed_queue):
    put("a", "b", "c", "d")
    function = Function(crashes_on={"c"})
    esm = mapping(failed_queue, function, max_retries=2)
    esm.poll_once()
    # Splits cost no retry; the record alone is tried once and retried twice.
    assert function.batches == [["a", "b", "c", "d"], ["a", "b"], ["c", "d"], ["c"], ["c"], ["c"], ["d"]]
    (description,) = given_up(failed_queue)
    info = description["DDBStreamBatchInfo"]
    sequence_of_c = function.events[3]["Records"][0]["dynamodb"]["SequenceNumber"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == (
        sequence_of_c,
        sequence_of_c,
        1,
    )
    assert info["streamArn"] == esm.stream_arn
    assert description["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert description["requestContext"]["approximateInvokeCount"] == 3
    assert description["responseContext"]["functionError"] == "Unhandled"
    assert esm.poll_once() == 0  # the shard moved on


def test_without_bisect_the_whole_batch_is_retried_then_given_up(failed_queue):
    put("a", "b")
    function = Function(crashes_on={"b"})
    mapping(failed_queue, function, bisect=False, max_retries=1).poll_once()
    assert function.batches == [["a", "b"], ["a", "b"]]
    (description,) = given_up(failed_queue)
    assert description["DDBStreamBatchInfo"]["batchSize"] == 2


def test_records_older_than_the_maximum_age_are_given_up_unseen(failed_queue):
    put("a", "b")
    function = Function()
    mapping(failed_queue, function, max_record_age=-1).poll_once()
    assert function.batches == []
    (description,) = given_up(failed_queue)
    assert description["requestContext"]["condition"] == "RecordAgeExceeded"
    assert description["DDBStreamBatchInfo"]["batchSize"] == 2


def test_the_product_publisher_behind_the_mapping_publishes_each_write(failed_queue, publisher, bus_events):  # noqa: F811
    def invoke(payload: bytes, _trace: str) -> tuple[bytes, bool]:
        return json.dumps(publisher.lambda_handler(json.loads(payload), LambdaContext())).encode(), False

    put("a", "b")
    boto3.client("dynamodb").delete_item(TableName=TABLE, Key={"id": {"S": "a"}})
    mapping(failed_queue, invoke).poll_once()
    published = [(e["detail-type"], e["detail"]["id"]) for e in bus_events.all()]
    assert published == [("ProductChanged", "a"), ("ProductChanged", "b"), ("ProductDeleted", "a")]


def test_a_restarted_mapping_starts_again_at_the_oldest_record(failed_queue):
    """Its position is not kept across a restart of the local cloud: the new mapping reads from
    TRIM_HORIZON, so a record written while it was stopped is not lost, and the ones delivered
    before come again (the replica's consumer ignores versions it holds)."""
    put("a")
    before = Function()
    mapping(failed_queue, before).poll_once()
    put("b")  # written after the last poll, before the restart
    after = Function()
    mapping(failed_queue, after).poll_once()
    assert before.batches == [["a"]] and after.batches == [["a", "b"]]


def test_a_declared_mapping_reads_the_tables_latest_stream(failed_queue):
    (declared,) = system.PRODUCT.stream_mappings
    invoked = []

    def client(service: str):
        endpoint = {"dynamodbstreams": STREAMS_ENDPOINT}.get(service)
        return boto3.client(service, endpoint_url=endpoint)

    def invoke(function: str, payload: bytes, trace: str) -> tuple[bytes, bool]:
        invoked.append(function)
        return b"", False

    put("a")
    esm = StreamEventSourceMapping.declared(client, declared, invoke, log=lambda _: None)
    table = boto3.client("dynamodb").describe_table(TableName=TABLE)["Table"]
    assert esm.stream_arn == table["LatestStreamArn"]
    assert esm.poll_once() == 1 and invoked == [declared.function]
