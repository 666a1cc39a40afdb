"""The event-driven functions' batches, as their event source mappings deliver them: the first
invocation the benchmark gives each one's new execution environment (a batch of one record),
and the batches that count the order consumer's AWS calls.

Each record is new (its own product id, message id, checkout id, sequence number), so that a
batch does what the first delivery of a real event does: the publisher publishes, the replica
consumer and the order consumer write.
"""

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scripts.localcloud import system
from scripts.localcloud.aws.resources import queue_arn
from scripts.localcloud.event_sources.sqs import sqs_record

CONTRACTS = system.ROOT / "contracts" / "events"
PUBLISHER = system.name("product", "publisher")
REPLICA_CONSUMER = system.name("basket", "catalogue-consumer")
ORDER_CONSUMER = system.name("order", "consumer")
TABLE_ARN = f"arn:aws:dynamodb:{system.REGION}:{system.ACCOUNT}:table/{system.name('product')}"
STREAM_ARN = f"{TABLE_ARN}/stream/2026-01-01T00:00:00.000"


def _example(contract: str) -> dict[str, Any]:
    return json.loads((CONTRACTS / f"{contract}.json").read_text())["examples"][0]


def _sqs_batch(queue: str, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    messages = [
        {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": uuid.uuid4().hex,
            "Body": json.dumps(body),
            "MD5OfBody": "0" * 32,
            "Attributes": {"ApproximateReceiveCount": "1"},
        }
        for body in bodies
    ]
    return {"Records": [sqs_record(message, queue_arn(queue)) for message in messages]}


def checkout_batch(size: int) -> dict[str, Any]:
    """An SQS event of new CheckoutBasket events, as the order queue delivers them."""
    example = _example("CheckoutBasket")
    bodies = [
        {**example, "detail": {**example["detail"], "checkoutId": str(uuid.uuid4())}} for _ in range(size)
    ]
    return _sqs_batch(system.ORDER_QUEUE, bodies)


def product_events_batch(size: int) -> dict[str, Any]:
    """An SQS event of ProductChanged events of new products, as the catalogue queue delivers them."""
    example = _example("ProductChanged")
    bodies = [
        {
            **example,
            "id": str(uuid.uuid4()),
            "detail": {**example["detail"], "id": str(uuid.uuid4()), "version": 1},
        }
        for _ in range(size)
    ]
    return _sqs_batch(system.CATALOGUE_QUEUE, bodies)


def stream_batch(size: int) -> dict[str, Any]:
    """A DynamoDB stream event of new products written to the product table (INSERT records), as
    the stream mapping delivers them to the product publisher."""
    records = []
    for _ in range(size):
        product_id = str(uuid.uuid4())
        image = {
            "id": {"S": product_id},
            "name": {"S": "Bench cable"},
            "description": {"S": "One metre"},
            "category": {"S": "bench"},
            "price": {"N": "4.99"},
            "catalogue": {"S": "all"},
            "version": {"N": "1"},
            "writeId": {"S": uuid.uuid4().hex},
        }
        records.append(
            {
                "eventID": uuid.uuid4().hex,
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": system.REGION,
                "dynamodb": {
                    "ApproximateCreationDateTime": int(time.time()),
                    "Keys": {"id": {"S": product_id}},
                    "NewImage": image,
                    "SequenceNumber": str(uuid.uuid4().int)[:22],
                    "SizeBytes": 300,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
                "eventSourceARN": STREAM_ARN,
            }
        )
    return {"Records": records}


@dataclass(frozen=True)
class BatchRoute:
    """An event-driven function's first invocation in the cold starts: a batch of one new record."""

    function: str
    name: str
    event: Callable[[int], dict[str, Any]]

    def batch(self) -> dict[str, Any]:
        return self.event(1)


BATCH_ROUTES = (
    BatchRoute(PUBLISHER, "publisher: a stream batch of 1 record", stream_batch),
    BatchRoute(REPLICA_CONSUMER, "catalogue consumer: a batch of 1 record", product_events_batch),
    BatchRoute(ORDER_CONSUMER, "order consumer: a batch of 1 record", checkout_batch),
)


def failed_records(payload: bytes) -> list[Any]:
    """The records a function's answer to a batch reports as failed."""
    return (json.loads(payload) or {}).get("batchItemFailures", [])
