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


def parse(body: str) -> CheckoutBasketEvent:
    try:
        return CheckoutBasketEvent.model_validate_json(body)
    except ValidationError as error:
        # Field names only: the values are personal data.
        fields = sorted({field_name(e["loc"]) for e in error.errors(include_input=False)})
        raise orders.InvalidCheckout(f"not a valid CheckoutBasket event: {', '.join(fields)}") from None


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
    if trace_id := publication_trace_id(record):
        tracer.put_annotation("checkoutTraceId", trace_id)  # links this order to its checkout
    ensure_time_to_write(record, lambda_context, logger, "write the order")
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
    return partial_response(event, context, record_handler, metrics)
