"""Lambda's SQS event source mapping, for the local cloud.

Pollers receive batches from the queue, invoke the function with SQS event records, delete
the records that succeeded and leave the others in the queue: they come back after the
visibility timeout, and the queue's redrive policy moves one received too often to its DLQ.
The function's response is read as Lambda reads ReportBatchItemFailures.
"""

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from scripts.localcloud import system
from scripts.localcloud.aws.resources import queue_arn
from scripts.localcloud.xray.header import TraceHeader, new_trace_id

# Invokes the function: (event bytes, trace header) -> (payload, function error?).
Invoke = Callable[[bytes, str], tuple[bytes, bool]]
_POLL_SECONDS = 1  # long-poll wait; short so that stop() is prompt


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """One record of a Lambda SQS event, from a ReceiveMessage result."""
    attributes = {**message.get("Attributes", {})}
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": value["DataType"],
            }
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": system.REGION,
    }


def succeeded(message_ids: list[str], payload: bytes, function_error: bool) -> set[str]:
    """The records to delete, following Lambda's rules for ReportBatchItemFailures."""
    if function_error:
        return set()
    try:
        response = json.loads(payload) if payload.strip() else None
    except ValueError:
        return set()  # invalid JSON: the whole batch failed
    if response is None:
        return set(message_ids)
    if not isinstance(response, dict):
        return set()
    failures = response.get("batchItemFailures")
    if not failures:
        return set(message_ids)
    if not isinstance(failures, list):
        return set()
    failed = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in message_ids:
            return set()  # a malformed failure report fails the whole batch
        failed.add(identifier)
    return set(message_ids) - failed


class SqsEventSourceMapping:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        invoke: Invoke,
        batch_size: int = 10,
        batching_window: int = 0,
        max_concurrency: int = 2,
        log: Callable[[str], None] = print,
        name: str = "",
    ):
        self._sqs = sqs
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._invoke = invoke
        self._batch_size = batch_size
        self._window = batching_window
        self._log = log
        self._name = name or queue_arn.rsplit(":", 1)[-1]
        self._stopped = threading.Event()
        self._pollers = [threading.Thread(target=self._poll, daemon=True) for _ in range(max_concurrency)]

    @classmethod
    def declared(
        cls,
        sqs: Any,
        mapping: system.EventSourceMapping,
        invoke: Callable[[str, bytes, str], tuple[bytes, bool]],
        log: Callable[[str], None],
    ) -> "SqsEventSourceMapping":
        """The mapping as system.py (and Terraform) declare it; `invoke` takes the function's name."""
        return cls(
            sqs,
            sqs.get_queue_url(QueueName=mapping.queue)["QueueUrl"],
            queue_arn(mapping.queue),
            lambda payload, trace: invoke(mapping.function, payload, trace),
            batch_size=mapping.batch_size,
            batching_window=mapping.batching_window,
            max_concurrency=mapping.max_concurrency,
            log=log,
            name=mapping.function,
        )

    def start(self) -> None:
        for poller in self._pollers:
            poller.start()

    def stop(self) -> None:
        self._stopped.set()
        for poller in self._pollers:
            if poller.is_alive():
                poller.join(timeout=_POLL_SECONDS + 5)

    def _poll(self) -> None:
        while not self._stopped.is_set():
            try:
                self.poll_once()
            except Exception as error:  # keep polling, as Lambda does, after an outage of SQS
                self._log(f"event source mapping {self._name}: {error!r}")
                self._stopped.wait(1)

    def _receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + self._window
        while len(messages) < self._batch_size and not self._stopped.is_set():
            response = self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=min(10, self._batch_size - len(messages)),
                WaitTimeSeconds=_POLL_SECONDS if not messages else 0,
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            messages += response.get("Messages", [])
            if time.monotonic() >= deadline and (messages or self._window == 0):
                break
        return messages

    def poll_once(self) -> int:
        """Receives one batch and handles it; returns the number of records it held."""
        messages = self._receive()
        if not messages:
            return 0
        event = {"Records": [sqs_record(m, self._queue_arn) for m in messages]}
        payload, error = self._invoke(json.dumps(event).encode(), str(TraceHeader(new_trace_id())))
        ids = [m["MessageId"] for m in messages]
        done = succeeded(ids, payload, error)
        handles = [m["ReceiptHandle"] for m in messages if m["MessageId"] in done]
        for start in range(0, len(handles), 10):
            entries = [{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(handles[start : start + 10])]
            self._sqs.delete_message_batch(QueueUrl=self._queue_url, Entries=entries)
        outcome = "function error" if error else f"{len(done)} done, {len(ids) - len(done)} failed"
        self._log(f"{self._name}: batch of {len(ids)}: {outcome}")
        return len(ids)
