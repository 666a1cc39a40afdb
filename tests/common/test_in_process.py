"""scripts/in_process.py: a handler imported with POWERTOOLS_LOG_LEVEL (make faults and the bench
import them quiet) logs at that level while it runs, and leaves no level to the service's later
loggers, which share the process's logging logger of the service's name."""

import json

import pytest
from moto import mock_aws

from scripts.in_process import import_handler
from scripts.localcloud import system
from tests.helpers import LambdaContext, api_event, captured_logs, create_tables

FUNCTION = system.PRODUCT.functions[0]


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.PRODUCT)
        yield


def logged(handler) -> list[str]:
    """What one refused request (no claims) makes the handler log."""
    event = api_event("DELETE", "/product/00000000-0000-4000-8000-000000000000")
    with captured_logs(handler.logger) as logs:
        handler.lambda_handler(event, LambdaContext())
    return [json.loads(line)["message"] for line in logs.getvalue().splitlines() if line.startswith("{")]


def import_quiet_and_plain():
    quiet = import_handler(FUNCTION, AWS_DEFAULT_REGION=system.REGION, POWERTOOLS_LOG_LEVEL="CRITICAL")
    return quiet, import_handler(FUNCTION, AWS_DEFAULT_REGION=system.REGION)


def test_a_quiet_handler_leaves_no_level_to_those_imported_after_it(aws):
    quiet, plain = import_quiet_and_plain()
    assert logged(quiet) == []
    assert logged(plain) == ["Request refused"]


def test_a_handler_is_quiet_also_when_its_logger_was_set_up_before(aws):
    plain = import_handler(FUNCTION, AWS_DEFAULT_REGION=system.REGION)
    quiet = import_handler(FUNCTION, AWS_DEFAULT_REGION=system.REGION, POWERTOOLS_LOG_LEVEL="CRITICAL")
    assert logged(quiet) == []
    assert logged(plain) == ["Request refused"]
