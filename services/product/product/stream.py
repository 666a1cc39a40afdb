"""Lambda entry point of the product publisher: the product table's stream -> product events.

Each DynamoDB stream record (a committed write of a product) becomes one ProductChanged or
ProductDeleted on the shared bus (product.events). A record that fails, because it makes no
event or because EventBridge did not take its entry, is reported back as a batch item failure
by its sequence number, and only those: Lambda then retries from the first failed record (the
records after it come again too; consumers ignore what they already have, by version). After
the mapping's retries, or once a record is too old, Lambda sends a description of the batch to
the on-failure queue, whose alarm asks for `make replay-catalogue` (scripts/replay_catalogue.py).
"""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from typing import Any

    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from product import events
    from product.event_bus import EventBus
    from product.settings import PublisherSettings
    from shop_common import clients
    from shop_common.settings import load_settings
    from shop_common.tracing import handler_tracer

    settings = load_settings(PublisherSettings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    bus = EventBus(clients.client("events"), settings.event_bus_name)


@tracer.capture_method(capture_response=False, capture_error=False)
def event_of_record(record: dict[str, Any]) -> events.ProductEvent:
    """The record's event; its subsegment carries the product's id and version."""
    event = events.event_of(events.StreamChange.of(record))
    tracer.put_annotation("productId", event.id)
    tracer.put_annotation("version", event.version)
    return event


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    failed: list[str] = []
    ready: list[tuple[str, events.ProductEvent]] = []
    for record in event.get("Records") or []:
        sequence = record["dynamodb"]["SequenceNumber"]  # none: not a stream record, the batch fails
        try:
            ready.append((sequence, event_of_record(record)))
        except events.InvalidRecord as error:
            logger.error("Stream record makes no event", extra={"sequence": sequence, "reason": str(error)})
            failed.append(sequence)
    outcomes = bus.publish([e for _, e in ready]) if ready else []
    published = 0
    for (sequence, product_event), outcome in zip(ready, outcomes, strict=True):
        details = {"productId": product_event.id, "version": product_event.version, "sequence": sequence}
        if outcome is None:
            published += 1
            logger.info(f"{product_event.detail_type} published", extra=details)
        else:
            logger.warning(f"{product_event.detail_type} not published", extra={**details, "reason": outcome})
            failed.append(sequence)
    if published:
        metrics.add_metric(name="ProductEventsPublished", unit=MetricUnit.Count, value=published)
    if failed:
        metrics.add_metric(name="BatchItemFailures", unit=MetricUnit.Count, value=len(failed))
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
