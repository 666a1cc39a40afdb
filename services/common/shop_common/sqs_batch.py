"""What the SQS consumers share (the order consumer, the basket's catalogue replica consumer):
a batch answered as a partial response, a record written only while its write fits in the time
left, and the trace of the publication that EventBridge hands to SQS.

A record that raises is reported back as a batch item failure, so only it comes back after the
visibility timeout (and, after maxReceiveCount receives, goes to the DLQ). Records are written
one after the other, so a slow or stuck table could add up to more than the function's timeout,
and Lambda would fail the whole batch: a record starts its write only while one whole call
(clients.worst_case_seconds) and a margin to answer are left; the rest come back later.
"""

from collections.abc import Callable

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shop_common import clients

# What a record needs left before its write starts: one call at its slowest, and a margin to answer.
TIME_NEEDED_MS = int((clients.worst_case_seconds() + 1) * 1000)

# A batch whose records all fail is still a partial response, not a function error.
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class NoTimeLeft(Exception):
    """The record is left for redelivery: its write might not finish before the function's timeout."""


def ensure_time_to_write(record: SQSRecord, context: LambdaContext, logger: Logger, write: str) -> None:
    """Raises NoTimeLeft unless `write` (e.g. "write the order") fits in the time left."""
    if context.get_remaining_time_in_millis() < TIME_NEEDED_MS:
        logger.warning(f"Too little time left to {write}; the record will come back")
        raise NoTimeLeft(record.message_id)


def publication_trace_id(record: SQSRecord) -> str | None:
    """The trace of the event's publication: EventBridge hands it to SQS as AWSTraceHeader."""
    header = record.attributes.aws_trace_header or ""
    return dict(part.split("=", 1) for part in header.split(";") if "=" in part).get("Root")


RecordHandler = Callable[[SQSRecord, LambdaContext], None]


def partial_response(event: dict, context: LambdaContext, handler: RecordHandler, metrics: Metrics) -> dict:
    """Runs `handler` on each record; the answer names the records that failed, counted."""
    response = process_partial_response(
        event=event, record_handler=handler, processor=_processor, context=context
    )
    failures = len(response.get("batchItemFailures", []))
    if failures:
        metrics.add_metric(name="BatchItemFailures", unit=MetricUnit.Count, value=failures)
    return response
