"""Lambda entry point of the order consumer: CheckoutBasket events from the order queue.

Each SQS record is one event. A record that fails is reported back as a batch item failure, so
only it comes back after the visibility timeout; after maxReceiveCount receives the queue moves
it to its DLQ (whose alarm calls someone). The others are kept. A record fails when:
- it does not validate against the contract (order.models): never dropped, never an order;
- its checkout already made an order that differs from the one it would make (another event
  with the same checkoutId): the order stays, one per checkout, and the event is kept for a
  human in the DLQ, as no retry can change the answer;
- DynamoDB fails: the retry will do.
The same event delivered again makes no second order and succeeds (DuplicateDeliveriesIgnored).

Records are written one after the other, so a slow or stuck table could add up to more than the
function's timeout, and Lambda would fail the whole batch. A record is written only while one
whole call (shop_common.clients.worst_case_seconds) still fits in the time left; the rest are
reported as failures and come back later.
"""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from pydantic import ValidationError

    from order import orders
    from order.models import CheckoutBasketEvent
    from order.repository import OrderRepository
    from order.settings import Settings
    from shop_common import clients
    from shop_common.errors import field_name
    from shop_common.settings import load_settings
    from shop_common.tracing import handler_tracer

    settings = load_settings(Settings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    repository = OrderRepository(clients.client("dynamodb"), settings.table_name)
    # A batch whose records all fail is still a partial response, not a function error.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    # What a record needs left before its write starts: one call at its slowest, and a margin to answer.
    TIME_NEEDED_MS = int((clients.worst_case_seconds() + 1) * 1000)


class NoTimeLeft(Exception):
    """The record is left for redelivery: its write might not finish before the function's timeout."""


def parse(body: str) -> CheckoutBasketEvent:
    try:
        return CheckoutBasketEvent.model_validate_json(body)
    except ValidationError as error:
        # Field names only: the values are personal data.
        fields = sorted({field_name(e["loc"]) for e in error.errors(include_input=False)})
        raise orders.InvalidCheckout(f"not a valid CheckoutBasket event: {', '.join(fields)}") from None


def checkout_trace_id(record: SQSRecord) -> str | None:
    """The trace of the checkout request: EventBridge hands it to SQS as AWSTraceHeader."""
    header = record.attributes.aws_trace_header or ""
    return dict(part.split("=", 1) for part in header.split(";") if "=" in part).get("Root")


@tracer.capture_method(capture_response=False, capture_error=False)
def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    logger.set_correlation_id(None)  # not the previous record's
    try:
        event = parse(record.body)
        order = orders.order_from_checkout(event.detail)
    except orders.InvalidCheckout as error:
        logger.error("Rejected record", extra={"messageId": record.message_id, "reason": str(error)})
        metrics.add_metric(name="InvalidCheckoutsRefused", unit=MetricUnit.Count, value=1)
        raise
    logger.set_correlation_id(order.orderId)
    tracer.put_annotation("checkoutId", order.orderId)
    tracer.put_annotation("orderId", order.orderId)
    if trace_id := checkout_trace_id(record):
        tracer.put_annotation("checkoutTraceId", trace_id)  # links this order to its checkout
    if lambda_context.get_remaining_time_in_millis() < TIME_NEEDED_MS:
        logger.warning("Too little time left to write the order; the record will come back")
        raise NoTimeLeft(record.message_id)
    try:
        stored = repository.add(order)
    except Exception:
        logger.exception(
            "Order not written; the record will come back", extra={"messageId": record.message_id}
        )
        raise
    if stored is None:
        logger.info("Order created", extra={"orderId": order.orderId})
        metrics.add_metric(name="OrdersCreated", unit=MetricUnit.Count, value=1)
        return
    try:
        orders.check_redelivery(stored, order)
    except orders.ConflictingCheckout as error:
        logger.error(
            "Conflicting checkout refused", extra={"messageId": record.message_id, "reason": str(error)}
        )
        metrics.add_metric(name="ConflictingCheckoutsRefused", unit=MetricUnit.Count, value=1)
        raise
    logger.info("Duplicate delivery ignored", extra={"orderId": order.orderId})
    metrics.add_metric(name="DuplicateDeliveriesIgnored", unit=MetricUnit.Count, value=1)


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
