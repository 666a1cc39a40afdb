"""Lambda entry point of the basket API: each route parses, calls the basket rules, answers JSON."""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from urllib.parse import unquote

    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from basket import baskets, checkout
    from basket.catalogue import price_lines
    from basket.models import BasketUpdate, CheckoutBody
    from basket.publisher import EventPublisher
    from basket.replica import CatalogueReplica
    from basket.repository import BasketRepository
    from basket.settings import Settings
    from shop_common import clients
    from shop_common.entry_point import api_entry_point
    from shop_common.http import create_router, if_match, json_response, page_request, parse_body
    from shop_common.identity import AccessRules, caller_of
    from shop_common.settings import load_settings
    from shop_common.tracing import handler_tracer

    settings = load_settings(Settings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    dynamodb = clients.client("dynamodb")
    repository = BasketRepository(dynamodb, settings.table_name)
    catalogue = CatalogueReplica(dynamodb, settings.catalogue_table_name)  # names and prices
    publisher = EventPublisher(clients.LazyClient("events"), settings.event_bus_name)  # checkout only
    app = create_router(logger)
    access = AccessRules(settings.admin_group)  # each caller acts on their own basket; admins on any


@app.get("/basket")
def list_baskets():
    access.require_admin(caller_of(app.request.event))  # everyone's baskets
    return json_response(200, repository.list(page_request(app.request)))


# API Gateway hands REST paths over still percent-encoded (a@b.io arrives as a%40b.io).
@app.get("/basket/<user_name>")
def get_basket(user_name: str):
    user_name = unquote(user_name)
    access.require_owner_or_admin(caller_of(app.request.event), user_name)
    basket = repository.get(user_name)
    return json_response(200, basket, version=basket.revision)


# If-Match is optional: POST /basket also makes new baskets, and a client that replaces the whole
# basket without reading it first means to. One that read, changed and writes back sends the ETag.
# Names and prices come from the catalogue, never from the client.
@app.post("/basket")
def save_basket():
    caller = caller_of(app.request.event)
    update = parse_body(app.request, BasketUpdate)
    access.require_owner_or_admin(caller, update.userName)
    items = price_lines(update.items, catalogue)
    basket = baskets.save(repository, update.userName, items, if_match(app.request))
    return json_response(200, basket, version=basket.revision)


@app.delete("/basket/<user_name>")
def delete_basket(user_name: str):
    user_name = unquote(user_name)
    access.require_owner_or_admin(caller_of(app.request.event), user_name)
    baskets.delete(repository, user_name, if_match(app.request))
    return json_response(204)


@app.post("/basket/checkout")
def check_out():
    caller = caller_of(app.request.event)
    body = parse_body(app.request, CheckoutBody)
    request = body.for_user(access.require_owner_or_admin(caller, body.userName))
    try:
        outcome = checkout.check_out(request, repository, publisher, catalogue)
    except checkout.CheckoutNotSent as error:
        logger.append_keys(checkoutId=error.checkout_id)
        tracer.put_annotation("checkoutId", error.checkout_id)
        logger.error("Checkout not sent", extra={"reason": error.reason})
        metrics.add_metric(name="CheckoutsFailed", unit=MetricUnit.Count, value=1)
        raise
    checkout_id = outcome.accepted.checkoutId
    logger.append_keys(checkoutId=checkout_id)
    tracer.put_annotation("checkoutId", checkout_id)
    if outcome.basket_removed:
        logger.info("Checkout accepted")
    else:
        logger.warning("Checkout accepted; the basket stays locked until the next checkout call")
    metrics.add_metric(name="CheckoutsAccepted", unit=MetricUnit.Count, value=1)
    return json_response(202, outcome.accepted)


@api_entry_point(logger, tracer, metrics)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event)
