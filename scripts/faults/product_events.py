"""The product events' path in process, as Lambda and the queues run it: the product table's
stream -> the product publisher -> the bus -> the basket's catalogue queue -> the replica consumer.

The stream is moto's; Lambda's stream event source mapping is the local cloud's
(scripts/localcloud/event_sources/dynamodb_stream.py: the event Lambda builds, retries from the first failed
record, bisection of a batch whose invocation failed, the on-failure queue), invoking the
publisher in this process. The catalogue queue is made as the basket module declares it (its
rule on the bus, its DLQ after 5 receives), but with no visibility timeout, so a failed record
comes back at the next delivery instead of 3 minutes later. Each invocation meets its own fault.

Records and events are named by the event they are or make (scripts/faults/invocations.py).
"""

import contextlib
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from scripts.faults.catalogue import NO_FAULT, Fault
from scripts.faults.injector import FunctionDied, injected
from scripts.faults.invocations import Invocation, event_name, message_name, record_name
from scripts.faults.world import World, handlers
from scripts.in_process import LambdaContext
from scripts.localcloud import system
from scripts.localcloud.aws.clients import STREAMS_ENDPOINT
from scripts.localcloud.aws.resources import queue_arn, queue_attributes
from scripts.localcloud.event_sources.dynamodb_stream import StreamEventSourceMapping
from scripts.localcloud.event_sources.sqs import sqs_record, succeeded

MAPPING = system.PRODUCT.stream_mappings[0]
CONSUMER = system.BASKET.mappings[0]
RULE = system.BASKET.rules[0]
DLQ = next(q.dead_letter_queue for q in system.BASKET.queues if q.name == CONSUMER.queue)


def _number(text: str) -> str:
    """A DynamoDB number as people write it: 12 for 12.0, 9.5 for 9.50."""
    return f"{Decimal(text).normalize():f}"


class ProductEvents:
    """The path of one world's product events; `publish` and `deliver` run its two functions."""

    def __init__(self, world: World):
        import boto3

        self.world = world
        self.sqs = world.sqs
        self.events = boto3.client("events", region_name=system.REGION)
        self.streams = streams = boto3.client(
            "dynamodbstreams", endpoint_url=STREAMS_ENDPOINT, region_name=system.REGION
        )
        for queue in sorted(
            (*system.BASKET.queues, *system.PRODUCT.queues), key=lambda q: q.dead_letter_queue is not None
        ):
            attributes = {**queue_attributes(queue), "VisibilityTimeout": "0"}
            self.sqs.create_queue(QueueName=queue.name, Attributes=attributes)
        self.queue = self._url(CONSUMER.queue)
        self.events.put_rule(Name=RULE.name, EventBusName=RULE.bus, EventPattern=json.dumps(RULE.pattern))
        self.events.put_targets(
            Rule=RULE.name, EventBusName=RULE.bus, Targets=[{"Id": "queue", "Arn": queue_arn(RULE.queue)}]
        )
        table = world.dynamodb.describe_table(TableName=MAPPING.table)["Table"]
        self.mapping = StreamEventSourceMapping(
            streams,
            self.sqs,
            table["LatestStreamArn"],
            self._invoke_publisher,
            function=MAPPING.function,
            on_failure_url=self._url(MAPPING.on_failure),
            batch_size=MAPPING.batch_size,
            bisect=MAPPING.bisect,
            max_retries=MAPPING.max_retries,
            max_record_age=MAPPING.max_record_age,
            retry_seconds=0,
            log=lambda _: None,
        )
        self._faults: list[Fault] = []
        self._invocations: list[Invocation] = []
        self.updates = {"applied": 0, "ignored": 0}  # the consumer's metrics, summed

    def _url(self, queue: str) -> str:
        return self.sqs.get_queue_url(QueueName=queue)["QueueUrl"]

    def _invoke_publisher(self, event: bytes, trace_header: str) -> tuple[bytes, bool]:
        fault = self._faults.pop(0) if self._faults else NO_FAULT
        records = json.loads(event)["Records"]
        names = {r["dynamodb"]["SequenceNumber"]: record_name(r) for r in records}
        before = len(self.on_the_bus())
        with injected(fault) as injector:
            try:
                response = handlers()["publisher"].lambda_handler(
                    json.loads(event), LambdaContext(MAPPING.function)
                )
            except FunctionDied:
                response = None
        failed = [names[f["itemIdentifier"]] for f in (response or {}).get("batchItemFailures", [])]
        self._invocations.append(
            Invocation(
                tuple(names.values()),
                tuple(names.values()) if response is None else tuple(failed),
                fault.name,
                response is None,
                injector.attempts,
                injector.calls,
                tuple(self.on_the_bus()[before:]),
            )
        )
        return (b"", True) if response is None else (json.dumps(response).encode(), False)

    def publish(self, faults: Iterable[Fault] = ()) -> list[Invocation]:
        """Lambda polls the stream once and delivers what it read to the publisher until each
        record succeeded or was given up; invocation i meets faults[i] (then no fault)."""
        self._faults, self._invocations = list(faults), []
        self.mapping.poll_once()
        return self._invocations

    def deliver(self, faults: Iterable[Fault] = (), newest_first: bool = False) -> list[Invocation]:
        """Lambda delivers the catalogue queue to the consumer, a batch at a time, until the queue
        is empty (a record received 5 times is moved to the DLQ by SQS at the 6th receive);
        delivery i meets faults[i]. `newest_first`: each batch in the reverse of the order the
        events were sent, as a standard queue may deliver them."""
        pending, deliveries = list(faults), []
        for _ in range(20):  # a bound: a record that always fails reaches the DLQ in 6 receives
            messages = self.sqs.receive_message(
                QueueUrl=self.queue,
                MaxNumberOfMessages=CONSUMER.batch_size,
                MessageSystemAttributeNames=["All"],
                WaitTimeSeconds=0,  # not the queue's long poll: empty means done here
            ).get("Messages", [])
            if not messages:
                break
            if newest_first:
                messages.reverse()
            fault = pending.pop(0) if pending else NO_FAULT
            deliveries.append(self._invoke_consumer(messages, fault))
        return deliveries

    def _invoke_consumer(self, messages: list[dict[str, Any]], fault: Fault) -> Invocation:
        event = {"Records": [sqs_record(m, queue_arn(CONSUMER.queue)) for m in messages]}
        output = io.StringIO()
        with injected(fault) as injector, contextlib.redirect_stdout(output):
            response = handlers()["replica"].lambda_handler(event, LambdaContext(CONSUMER.function))
        self._add_up(output.getvalue())
        ids = [m["MessageId"] for m in messages]
        done = succeeded(ids, json.dumps(response).encode(), False)
        for message in messages:
            if message["MessageId"] in done:
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
        names = [message_name(m["Body"]) for m in messages]
        failed = tuple(n for n, m in zip(names, messages, strict=True) if m["MessageId"] not in done)
        return Invocation(tuple(names), failed, fault.name, False, injector.attempts, injector.calls)

    def _add_up(self, output: str) -> None:
        """Adds up the consumer's metrics (EMF lines): what it applied, what it ignored."""
        names = {"CatalogueReplicaUpdates": "applied", "StaleProductEventsIgnored": "ignored"}
        for line in output.splitlines():
            if line.startswith('{"_aws"'):
                document = json.loads(line)
                for name, key in names.items():
                    if name in document:
                        values = document[name]
                        self.updates[key] += int(sum(values) if isinstance(values, list) else values)

    def put(self, detail_type: str, detail: dict[str, Any]) -> None:
        """An event on the bus, as if from the product publisher (the path's input, for the
        consumer's cases)."""
        entry = {"EventBusName": system.BUS, "Source": "shop.product", "DetailType": detail_type}
        self.events.put_events(Entries=[{**entry, "Detail": json.dumps(detail)}])

    def on_the_bus(self) -> list[str]:
        """Every product event published since the world was made, by name, in order."""
        return [event_name(e) for e in self.world.events() if e.get("source") == "shop.product"]

    def replica(self, product_id: str) -> str:
        """The replica's entry: "v2 at 11", "deleted at v2", or "absent"."""
        item = self.world.dynamodb.get_item(
            TableName=system.CATALOGUE_TABLE, Key={"productId": {"S": product_id}}, ConsistentRead=True
        ).get("Item")
        if item is None:
            return "absent"
        if item.get("deleted", {}).get("BOOL"):
            return f"deleted at v{item['version']['N']}"
        return f"v{item['version']['N']} at {_number(item['price']['N'])}"

    def latest(self, product_id: str) -> str:
        """The product's latest version as its table's stream tells it (the last write of it), in
        the replica's terms: what the replica must end up holding."""
        last = None
        for record in self._stream():
            data = record["dynamodb"]
            image = data.get("OldImage") if record["eventName"] == "REMOVE" else data.get("NewImage")
            if image and image["id"]["S"] == product_id:
                last = record["eventName"], image
        if last is None:
            return "absent"
        kind, image = last
        if kind == "REMOVE":
            return f"deleted at v{image['version']['N']}"
        return f"v{image['version']['N']} at {_number(image['price']['N'])}"

    def _stream(self) -> list[dict[str, Any]]:
        """Every record of the product table's stream, read anew from its start."""
        streams, arn = self.streams, self.mapping.stream_arn
        records = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            while (response := streams.get_records(ShardIterator=iterator))["Records"]:
                records += response["Records"]
                iterator = response["NextShardIterator"]
        return records

    def dead_letters(self) -> int:
        """The messages in the catalogue queue's DLQ."""
        return self._count(DLQ)

    def given_up(self) -> int:
        """The descriptions of stream records the mapping gave up (in its on-failure queue)."""
        return self._count(MAPPING.on_failure)

    def _count(self, queue: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self._url(queue), AttributeNames=["ApproximateNumberOfMessages"]
        )
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])
