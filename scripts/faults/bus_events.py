"""What is published on the shared bus, in process on moto: a catch-all rule fills a queue of its
own, read back in order (for make faults' worlds and the unit tests)."""

import json
from typing import Any

import boto3

from scripts.localcloud import system


class BusEvents:
    """Every event of `sources` published on the bus since it was made; it makes the bus too.
    `events` and `sqs` are the clients to use (by default the SDK's defaults')."""

    def __init__(self, *sources: str, events: Any = None, sqs: Any = None):
        events = events or boto3.client("events")
        self._sqs = sqs or boto3.client("sqs")
        events.create_event_bus(Name=system.BUS)
        self._url = self._sqs.create_queue(QueueName="bus-events")["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"]
        pattern = json.dumps({"source": list(sources)})
        events.put_rule(Name="all", EventBusName=system.BUS, EventPattern=pattern)
        events.put_targets(Rule="all", EventBusName=system.BUS, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])
        self._seen: list[dict] = []

    def all(self) -> list[dict]:
        while messages := self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                self._seen.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
        return list(self._seen)
