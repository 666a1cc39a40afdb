"""Lambda's DynamoDB stream event source mapping, for the local cloud.

A poller per mapping reads each shard of the table's stream in order (DynamoDB Streams:
DescribeStream, GetShardIterator, GetRecords, which the embedded AWS serves), from the oldest
record (TRIM_HORIZON), `batch_size` records at a time, four times a second when idle, as Lambda
polls. Each batch is delivered to the function as Lambda's DynamoDB stream event, and the next
one waits until this one is done, as Lambda keeps a shard in order. Lambda's rules:
- a function error fails the whole batch: with bisect on, a batch of more than one record is
  split in two and each half is retried on its own (a split costs no retry); otherwise the
  batch is retried;
- ReportBatchItemFailures: the batch is checkpointed at the lowest sequence number the response
  names, and the records from it on are retried (each such retry costs one); an identifier that
  is empty, null or not in the batch, or a response that is not JSON, fails the whole batch;
- after `max_retries` retries, or once a record is older than `max_record_age` seconds, the
  records are given up: a description of them (Lambda's on-failure record, with
  DDBStreamBatchInfo: shard, first and last sequence numbers, their times) is sent to the
  on-failure SQS queue, and the shard moves on.

Where it starts after a restart: a mapping's position in a shard (its iterator and what it has
handled) lives in memory only, while the stream's records survive a restart in the saved AWS
state (persistence.py). A restarted local cloud therefore starts each shard again at
TRIM_HORIZON, as a new Lambda mapping with TRIM_HORIZON would: no record written while the
local cloud was stopping, or not yet delivered, is lost. The price is that records already
delivered before the restart are delivered again, so the publisher publishes their
ProductChanged/ProductDeleted again; the basket's replica consumer writes only a version newer
than the one it holds (a conditional, idempotent write), so a replay changes nothing. Starting
at LATEST instead would lose every record written between the last poll and the restart.
A limit of this choice: moto keeps a stream's records for good (DynamoDB trims them after 24
hours), and records older than `max_record_age` at a restart are given up unseen, as a fresh
Lambda mapping at TRIM_HORIZON gives them up: each restart sends a RecordAgeExceeded
description of them to the on-failure queue, although they were delivered before.
"""

import base64
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scripts.localcloud import system
from scripts.localcloud.xray.header import TraceHeader, new_trace_id

# Invokes the function: (event bytes, trace header) -> (payload, function error?).
Invoke = Callable[[bytes, str], tuple[bytes, bool]]
POLL_SECONDS = 0.25  # Lambda polls a shard four times a second


@dataclass
class Batch:
    records: list[dict[str, Any]]  # as GetRecords returns them
    retries: int = 0
    invocations: int = 0
    function_error: bool = False  # how its last invocation failed


@dataclass
class _Shard:
    id: str
    iterator: str | None = None
    handled: list[str] = field(default_factory=list)  # sequence numbers done with: succeeded or given up


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _created(record: dict[str, Any]) -> float:
    moment = record["dynamodb"].get("ApproximateCreationDateTime")
    return moment.timestamp() if isinstance(moment, datetime) else float(moment or time.time())


def stream_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """One record of a Lambda DynamoDB stream event, from a GetRecords record."""
    data = dict(record["dynamodb"])
    data["ApproximateCreationDateTime"] = int(_created(record))
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", system.REGION),
        "dynamodb": data,
        "eventSourceARN": stream_arn,
    }


def first_failed(sequences: list[str], payload: bytes, function_error: bool) -> int | None:
    """The index of the first record to retry (Lambda's ReportBatchItemFailures rules for
    streams), None when the batch succeeded; -1 for a function error."""
    if function_error:
        return -1
    try:
        response = json.loads(payload) if payload.strip() else None
    except ValueError:
        return 0
    if not isinstance(response, dict):
        return None if response is None else 0
    failures = response.get("batchItemFailures")
    if not failures:
        return None
    if not isinstance(failures, list):
        return 0
    indexes = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in sequences:
            return 0
        indexes.append(sequences.index(identifier))
    return min(indexes)


class StreamEventSourceMapping:
    def __init__(
        self,
        streams: Any,
        sqs: Any,
        stream_arn: str,
        invoke: Invoke,
        *,
        function: str,
        on_failure_url: str,
        batch_size: int = 10,
        bisect: bool = True,
        max_retries: int = 10,
        max_record_age: int = 3600,
        retry_seconds: float = 1.0,
        log: Callable[[str], None] = print,
    ):
        self._streams = streams
        self._sqs = sqs
        self.stream_arn = stream_arn
        self._invoke = invoke
        self._function = function
        self._on_failure_url = on_failure_url
        self._batch_size = batch_size
        self._bisect = bisect
        self._max_retries = max_retries
        self._max_record_age = max_record_age
        self._retry_seconds = retry_seconds
        self._log = log
        self._shards: dict[str, _Shard] = {}
        self._stopped = threading.Event()
        self._poller = threading.Thread(target=self._poll, daemon=True)

    @classmethod
    def declared(
        cls,
        aws: Callable[[str], Any],
        mapping: system.StreamMapping,
        invoke: Callable[[str, bytes, str], tuple[bytes, bool]],
        log: Callable[[str], None],
    ) -> "StreamEventSourceMapping":
        """The mapping as system.py (and Terraform) declare it, on the table's latest stream.
        `aws` makes a client of the embedded AWS; `invoke` takes the function's name."""
        table = aws("dynamodb").describe_table(TableName=mapping.table)["Table"]
        if "LatestStreamArn" not in table:
            raise ValueError(f"table {mapping.table} has no stream: its stream mapping cannot start")
        sqs = aws("sqs")
        return cls(
            aws("dynamodbstreams"),
            sqs,
            table["LatestStreamArn"],
            lambda payload, trace: invoke(mapping.function, payload, trace),
            function=mapping.function,
            on_failure_url=sqs.get_queue_url(QueueName=mapping.on_failure)["QueueUrl"],
            batch_size=mapping.batch_size,
            bisect=mapping.bisect,
            max_retries=mapping.max_retries,
            max_record_age=mapping.max_record_age,
            log=log,
        )

    def start(self) -> None:
        self._poller.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._poller.is_alive():
            self._poller.join(timeout=self._retry_seconds + 10)

    def _poll(self) -> None:
        while not self._stopped.is_set():
            try:
                handled = self.poll_once()
            except Exception as error:  # keep polling, as Lambda does, after an outage of the stream
                self._log(f"stream mapping {self._function}: {error!r}")
                handled = 0
                self._stopped.wait(1)
            if not handled:
                self._stopped.wait(POLL_SECONDS)

    def poll_once(self) -> int:
        """Reads one batch from each shard and handles it; returns the number of records read."""
        description = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        read = 0
        for shard in description.get("Shards", []):
            state = self._shards.setdefault(shard["ShardId"], _Shard(shard["ShardId"]))
            if state.iterator is None:
                state.iterator = self._streams.get_shard_iterator(
                    StreamArn=self.stream_arn, ShardId=state.id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            response = self._streams.get_records(ShardIterator=state.iterator, Limit=self._batch_size)
            records = response.get("Records", [])
            if records:
                self.handle(state, records)
                read += len(records)
            state.iterator = response.get("NextShardIterator") or state.iterator
        return read

    def handle(self, shard: _Shard, records: list[dict[str, Any]]) -> None:
        """Delivers `records` until each one succeeded or was given up, as Lambda does."""
        pending = deque([Batch(records)])
        while pending and not self._stopped.is_set():
            batch = pending[0]
            too_old = time.time() - self._max_record_age
            expired = [r for r in batch.records if _created(r) < too_old]
            if expired:
                self._give_up(shard, batch, expired, "RecordAgeExceeded")
                batch.records = [r for r in batch.records if r not in expired]
                if not batch.records:
                    pending.popleft()
                continue
            sequences = [r["dynamodb"]["SequenceNumber"] for r in batch.records]
            event = {"Records": [stream_record(r, self.stream_arn) for r in batch.records]}
            batch.invocations += 1
            payload, error = self._invoke(
                json.dumps(event, default=_encode).encode(), str(TraceHeader(new_trace_id()))
            )
            failed = first_failed(sequences, payload, error)
            batch.function_error = failed == -1
            if failed is None:
                pending.popleft()
                shard.handled += sequences
                self._log(f"{self._function}: stream batch of {len(sequences)}: done")
                continue
            if failed == -1 and self._bisect and len(batch.records) > 1:
                middle = len(batch.records) // 2
                pending.popleft()
                pending.extendleft(
                    [
                        Batch(batch.records[middle:], batch.retries),
                        Batch(batch.records[:middle], batch.retries),
                    ]
                )
                self._log(f"{self._function}: stream batch of {len(sequences)}: function error, bisected")
                continue
            shard.handled += sequences[: max(failed, 0)]
            batch.records = batch.records[max(failed, 0) :]
            batch.retries += 1
            outcome = "function error" if failed == -1 else f"{len(batch.records)} to retry"
            self._log(f"{self._function}: stream batch of {len(sequences)}: {outcome}")
            if batch.retries > self._max_retries:
                self._give_up(shard, batch, batch.records, "RetryAttemptsExhausted")
                pending.popleft()
            else:
                self._stopped.wait(self._retry_seconds)

    def _give_up(self, shard: _Shard, batch: Batch, records: list[dict[str, Any]], condition: str) -> None:
        """Sends Lambda's description of discarded records to the on-failure destination."""
        first, last = records[0], records[-1]
        description = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{system.REGION}:{system.ACCOUNT}:function:{self._function}",
                "condition": condition,
                "approximateInvokeCount": batch.invocations,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                **({"functionError": "Unhandled"} if batch.function_error else {}),
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard.id,
                "startSequenceNumber": first["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": last["dynamodb"]["SequenceNumber"],
                "approximateArrivalOfFirstRecord": _iso(_created(first)),
                "approximateArrivalOfLastRecord": _iso(_created(last)),
                "batchSize": len(records),
                "streamArn": self.stream_arn,
            },
        }
        self._sqs.send_message(QueueUrl=self._on_failure_url, MessageBody=json.dumps(description))
        shard.handled += [r["dynamodb"]["SequenceNumber"] for r in records]
        self._log(f"{self._function}: {len(records)} stream record(s) given up ({condition})")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
