"""The local SQS event source mapping with the real order consumer, on moto in process:
redelivery after failures, the DLQ, and a consumer that crashes mid-batch."""

import json
import time

import boto3
import pytest

from scripts.localcloud import system
from scripts.localcloud.aws.resources import queue_attributes
from scripts.localcloud.event_sources.sqs import SqsEventSourceMapping, succeeded
from tests.helpers import LambdaContext
from tests.order.conftest import TABLE, checkout_event

QUEUE, DLQ, _DELIVERY_DLQ = system.ORDER.queues
REDELIVERY = 1


@pytest.mark.parametrize(
    ("payload", "error", "expected"),
    [
        (b'{"batchItemFailures": []}', False, {"a", "b"}),
        (b"null", False, {"a", "b"}),
        (b"{}", False, {"a", "b"}),
        (b'{"batchItemFailures": [{"itemIdentifier": "b"}]}', False, {"a"}),
        (b'{"batchItemFailures": [{"itemIdentifier": "b"}]}', True, set()),
        (b'{"batchItemFailures": [{"itemIdentifier": ""}]}', False, set()),
        (b'{"batchItemFailures": [{"itemIdentifier": "zzz"}]}', False, set()),
        (b'{"batchItemFailures": [{"wrong": "b"}]}', False, set()),
        (b"not json", False, set()),
    ],
)
def test_batch_item_failures_are_read_as_lambda_reads_them(payload, error, expected):
    assert succeeded(["a", "b"], payload, error) == expected


@pytest.fixture
def queues(consumer):
    sqs = boto3.client("sqs")
    sqs.create_queue(QueueName=DLQ.name, Attributes=queue_attributes(DLQ))
    url = sqs.create_queue(QueueName=QUEUE.name, Attributes=queue_attributes(QUEUE, REDELIVERY))["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName=DLQ.name)["QueueUrl"]
    return sqs, url, dlq_url


def in_process(consumer):
    def invoke(payload: bytes, _trace: str) -> tuple[bytes, bool]:
        return json.dumps(consumer.lambda_handler(json.loads(payload), LambdaContext())).encode(), False

    return invoke


def mapping(sqs, url, invoke) -> SqsEventSourceMapping:
    arn = f"arn:aws:sqs:{system.REGION}:{system.ACCOUNT}:{QUEUE.name}"
    return SqsEventSourceMapping(sqs, url, arn, invoke, batch_size=10, log=lambda _: None)


def drain(esm: SqsEventSourceMapping, sqs, url, timeout: float = 20) -> None:
    """Polls until the queue holds nothing, visible or in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        esm.poll_once()
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if (
            attributes["ApproximateNumberOfMessages"]
            == attributes["ApproximateNumberOfMessagesNotVisible"]
            == "0"
        ):
            return
    raise AssertionError("the queue did not drain")


def order_ids() -> list[str]:
    return sorted(i["orderId"]["S"] for i in boto3.client("dynamodb").scan(TableName=TABLE)["Items"])


def send(sqs, url, *bodies) -> None:
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body))


def test_a_poison_record_ends_in_the_dlq_and_the_others_become_orders(consumer, queues):
    sqs, url, dlq_url = queues
    good = [checkout_event(user=f"u{i}") for i in range(3)]
    send(sqs, url, good[0], "poison", good[1], good[2])
    drain(mapping(sqs, url, in_process(consumer)), sqs, url)
    assert order_ids() == sorted(e["detail"]["checkoutId"] for e in good)
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])
    assert [m["Body"] for m in dead["Messages"]] == ["poison"]
    assert int(dead["Messages"][0]["Attributes"]["ApproximateReceiveCount"]) >= QUEUE.max_receive_count


def test_the_same_event_delivered_three_times_makes_one_order(consumer, queues):
    sqs, url, _ = queues
    event = checkout_event()
    send(sqs, url, event, event, event)
    drain(mapping(sqs, url, in_process(consumer)), sqs, url)
    assert order_ids() == [event["detail"]["checkoutId"]]


def test_a_consumer_crash_mid_batch_loses_no_order(consumer, queues):
    sqs, url, dlq_url = queues
    events = [checkout_event(user=f"u{i}") for i in range(6)]
    send(sqs, url, *events)
    handle = in_process(consumer)
    crashes = []

    def crash_once(payload: bytes, trace: str) -> tuple[bytes, bool]:
        if crashes:
            return handle(payload, trace)
        # The first invocation writes half of its orders, then the process dies.
        records = json.loads(payload)["Records"]
        handle(json.dumps({"Records": records[: len(records) // 2]}).encode(), trace)
        crashes.append(len(records))
        return b'{"errorType": "Runtime.ExitError"}', True

    drain(mapping(sqs, url, crash_once), sqs, url)
    assert crashes and crashes[0] >= 2
    assert order_ids() == sorted(e["detail"]["checkoutId"] for e in events)
    assert "Messages" not in sqs.receive_message(QueueUrl=dlq_url)
