"""Lambda entry point of the catalogue replica's consumer: product events from its queue.

The basket service's own subscription (rule on the shared bus -> queue -> this function) brings
ProductChanged and ProductDeleted; each is applied to the replica in version order
(basket.replica): a stale or repeated event changes nothing and is counted, not failed. A record
that fails (no valid product event, or DynamoDB fails) is reported as a batch item failure, so
only it comes back; after maxReceiveCount receives the queue moves it to its DLQ.

A record is written only while one whole call (shop_common.clients.worst_case_seconds) still fits
in the time left; the rest are reported as failures and come back later.
"""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from basket import product_events
    from basket.replica import CatalogueReplica
    from basket.settings import ReplicaSettings
    from shop_common import clients
    from shop_common.settings import load_settings
    from shop_common.tracing import handler_tracer

    settings = load_settings(ReplicaSettings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    replica = CatalogueReplica(clients.client("dynamodb"), settings.catalogue_table_name)
    # A batch whose records all fail is still a partial response, not a function error.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    TIME_NEEDED_MS = int((clients.worst_case_seconds() + 1) * 1000)


class NoTimeLeft(Exception):
    """The record is left for redelivery: its write might not finish before the function's timeout."""


def publisher_trace_id(record: SQSRecord) -> str | None:
    """The trace of the publication: EventBridge hands it to SQS as AWSTraceHeader."""
    header = record.attributes.aws_trace_header or ""
    return dict(part.split("=", 1) for part in header.split(";") if "=" in part).get("Root")


@tracer.capture_method(capture_response=False, capture_error=False)
def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    try:
        event = product_events.parse(record.body)
    except product_events.InvalidProductEvent as error:
        logger.error("Rejected record", extra={"messageId": record.message_id, "reason": str(error)})
        raise
    detail = event.detail
    tracer.put_annotation("productId", detail.id)
    tracer.put_annotation("version", detail.version)
    if trace_id := publisher_trace_id(record):
        tracer.put_annotation("productTraceId", trace_id)  # links this update to its publication
    if lambda_context.get_remaining_time_in_millis() < TIME_NEEDED_MS:
        logger.warning("Too little time left to apply the event; the record will come back")
        raise NoTimeLeft(record.message_id)
    if isinstance(event, product_events.ProductDeletedEvent):
        applied = replica.apply_delete(detail.id, detail.version)
    else:
        applied = replica.apply_change(detail.id, detail.version, detail.name, detail.price)
    details = {"productId": detail.id, "version": detail.version, "detailType": event.detail_type}
    if applied:
        logger.info("Catalogue replica updated", extra=details)
        metrics.add_metric(name="CatalogueReplicaUpdates", unit=MetricUnit.Count, value=1)
    else:
        logger.info("Stale or repeated product event ignored", extra=details)
        metrics.add_metric(name="StaleProductEventsIgnored", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    failures = len(response.get("batchItemFailures", []))
    if failures:
        metrics.add_metric(name="BatchItemFailures", unit=MetricUnit.Count, value=failures)
    return response
