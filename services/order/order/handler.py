"""Lambda entry point of the order API: order queries."""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from urllib.parse import unquote

    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from order import orders
    from order.repository import OrderRepository
    from order.settings import ApiSettings
    from shop_common import clients
    from shop_common.entry_point import api_entry_point
    from shop_common.errors import FieldError, InvalidInputError
    from shop_common.http import create_router, json_response, page_request
    from shop_common.identity import AccessRules, caller_of
    from shop_common.settings import load_settings
    from shop_common.text import user_name_problem
    from shop_common.tracing import handler_tracer

    settings = load_settings(ApiSettings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    repository = OrderRepository(clients.client("dynamodb"), settings.table_name)
    app = create_router(logger)
    access = AccessRules(settings.admin_group)


def owner_in_path(user_name: str) -> str:
    """The path's userName, decoded (API Gateway hands REST paths over still percent-encoded),
    once the caller may act for that user; 400 if it cannot be a user name."""
    user_name = unquote(user_name)
    access.require_owner_or_admin(caller_of(app.request.event), user_name)
    if problem := user_name_problem(user_name):
        raise InvalidInputError(f"userName {problem}", [FieldError("userName", problem)])
    return user_name


@app.get("/order")
def list_orders():
    access.require_admin(caller_of(app.request.event))  # everyone's orders
    return json_response(200, repository.list(page_request(app.request)))


@app.get("/order/<user_name>")
def list_user_orders(user_name: str):
    user_name = owner_in_path(user_name)
    query = app.request.query
    dates = orders.date_filter(query("orderDate"), query("from"), query("to"))
    return json_response(200, repository.list_for_user(user_name, dates, page_request(app.request)))


# A client that lost the 202 of its checkout asks for the order by the checkoutId it was given.
@app.get("/order/<user_name>/<order_id>")
def get_order(user_name: str, order_id: str):
    order = orders.find(repository, owner_in_path(user_name), unquote(order_id))
    tracer.put_annotation("orderId", order.orderId)
    return json_response(200, order)


@api_entry_point(logger, tracer, metrics)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event)
