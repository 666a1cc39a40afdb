"""Lambda entry point of the catalogue replica's consumer: product events from its queue.

The basket service's own subscription (rule on the shared bus -> queue -> this function) brings
ProductChanged and ProductDeleted; each is applied to the replica in version order
(basket.replica): a stale or repeated event changes nothing and is counted, not failed. A record
that fails (no valid product event, or DynamoDB fails) is reported as a batch item failure, so
only it comes back; after maxReceiveCount receives the queue moves it to its DLQ.

A record is written only while its write fits in the time left (shop_common.sqs_batch).
"""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    # Before pydantic: once it is loaded, Powertools' batch utilities import every model of its
    # parser too (tests/build: nothing compiled at init).
    from shop_common.sqs_batch import TIME_NEEDED_MS as TIME_NEEDED_MS  # what the record needs left
    from shop_common.sqs_batch import ensure_time_to_write, partial_response, publication_trace_id

    # isort: split
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
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
    if trace_id := publication_trace_id(record):
        tracer.put_annotation("productTraceId", trace_id)  # links this update to its publication
    ensure_time_to_write(record, lambda_context, logger, "apply the event")
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
    return partial_response(event, context, record_handler, metrics)
