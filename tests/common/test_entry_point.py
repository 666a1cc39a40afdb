"""One way to wrap an API entry point (shop_common.entry_point), used by every API function:
nothing logged in one invocation leaks into the next, and each logs its API request id."""

import json

import pytest
from moto import mock_aws

from scripts.in_process import import_handler
from scripts.localcloud import system
from tests.helpers import LambdaContext, api_event, captured_logs, create_tables

API_FUNCTIONS = {
    "product": (system.PRODUCT, "/product/00000000-0000-4000-8000-000000000000"),
    "basket": (system.BASKET, "/basket/swn"),
    "order": (system.ORDER, "/order/swn"),
}


@pytest.mark.parametrize("service", API_FUNCTIONS)
def test_each_invocation_starts_with_no_keys_left_from_the_last(service):
    spec, path = API_FUNCTIONS[service]
    with mock_aws():
        create_tables(spec)
        handler = import_handler(spec.functions[0], AWS_DEFAULT_REGION=system.REGION)
        handler.logger.append_keys(checkoutId="left-from-the-last-request")  # as a checkout does
        event = api_event("DELETE" if service == "product" else "GET", path)  # no claims: refused, logged
        with captured_logs(handler.logger) as logs:
            handler.lambda_handler(event, LambdaContext())
    (line,) = [json.loads(line) for line in logs.getvalue().splitlines() if line.startswith("{")]
    assert line["message"] == "Request refused" and "checkoutId" not in line
    assert line["correlation_id"] == event["requestContext"]["requestId"]
