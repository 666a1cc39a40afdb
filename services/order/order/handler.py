"""Lambda entry point of the order API: order queries."""

import re
from urllib.parse import unquote

from aws_lambda_powertools import Logger, Metrics

from order import orders
from order.repository import OrderRepository
from order.settings import ApiSettings
from shop_common import clients
from shop_common.entry_point import api_entry_point
from shop_common.errors import FieldError, InvalidInputError
from shop_common.http import create_resolver, json_response, page_request
from shop_common.identity import AccessRules, caller_of
from shop_common.settings import load_settings
from shop_common.tracing import handler_tracer

settings = load_settings(ApiSettings)
logger = Logger()
tracer = handler_tracer()
metrics = Metrics()
repository = OrderRepository(clients.client("dynamodb"), settings.table_name)
app = create_resolver(logger)
access = AccessRules(settings.admin_group)
USER_NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")  # as in the CheckoutBasket contract


@app.get("/order")
def list_orders():
    access.require_admin(caller_of(app.current_event))  # everyone's orders
    return json_response(200, repository.list(page_request(app.current_event)))


@app.get("/order/<user_name>")
def list_user_orders(user_name: str):
    user_name = unquote(user_name)  # API Gateway hands REST paths over still percent-encoded
    access.require_owner_or_admin(caller_of(app.current_event), user_name)
    if not USER_NAME.match(user_name):
        message = "must be 1 to 64 letters, digits or . _ @ + -"
        raise InvalidInputError(f"userName {message}", [FieldError("userName", message)])
    query = app.current_event.get_query_string_value
    dates = orders.date_filter(query("orderDate"), query("from"), query("to"))
    return json_response(200, repository.list_for_user(user_name, dates, page_request(app.current_event)))


lambda_handler = api_entry_point(app, logger, tracer, metrics)
