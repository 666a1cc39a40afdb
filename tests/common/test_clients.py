"""Timeouts and retries of the services' AWS clients (shop_common.clients): one call at its slowest
stays well below the timeout of every function, as Terraform and the local cloud set it, and a
dependency that does not answer costs a route a 503 after a few seconds, not the function's life.
"""

import re
import socket
import threading
import time
from decimal import Decimal

import pytest
from botocore.retries.standard import ExponentialBackoff
from moto import mock_aws

from scripts.in_process import import_handler
from scripts.localcloud import system
from shop_common import clients
from tests.basket.test_models import CHECKOUT
from tests.helpers import answer, claims, create_tables, fresh_import
from tests.terraform.conftest import MODULES
from tests.terraform.test_local_cloud_matches import SERVICES, Module

# "Well below": one call at its slowest takes at most this share of a function's timeout.
SHARE = 2 / 3


@pytest.fixture
def entry_points():
    """Every function's module, imported as Lambda imports it."""
    functions = {
        "product": system.PRODUCT.functions[0],
        "publisher": system.PRODUCT.functions[1],
        "basket": system.BASKET.functions[0],
        "replica": system.BASKET.functions[1],
        "order": system.ORDER.functions[0],
        "consumer": system.ORDER.functions[1],
    }
    with mock_aws():
        yield {name: import_handler(function) for name, function in functions.items()}


def test_every_client_of_every_function_has_the_shop_settings(entry_points):
    made = [
        entry_points["product"].repository._client,
        entry_points["basket"].repository._client,
        entry_points["basket"].publisher._client,
        entry_points["basket"].catalogue._client,
        entry_points["publisher"].bus._client,
        entry_points["replica"].replica._client,
        entry_points["order"].repository._client,
        entry_points["consumer"].repository._client,
    ]
    for client in made:
        config = client.meta.config
        assert (config.connect_timeout, config.read_timeout) == (
            clients.CONNECT_TIMEOUT,
            clients.READ_TIMEOUT,
        )
        assert config.retries == {"mode": "standard", "total_max_attempts": clients.ATTEMPTS}


def test_the_worst_case_follows_botocores_standard_retry_mode():
    """worst_case_seconds() assumes these bounds of botocore's backoff; a botocore that waits
    longer must fail here, not in production."""
    assert ExponentialBackoff._BASE == 2
    assert ExponentialBackoff._MAX_BACKOFF == 20
    assert max(ExponentialBackoff._DEFAULT_BACKOFF_CONFIG.values()) <= 1  # seconds, throttling's
    assert ExponentialBackoff._RETRY_AFTER_MAX_ADDITIONAL == 5
    # 2 attempts x (1 s to connect + 2 s to read) + one backoff of at most 1 s + 5 s (x-amz-retry-after)
    assert clients.worst_case_seconds() == 2 * (1 + 2) + 1 + 5 == 12


def declared_timeouts() -> dict[str, int]:
    """Each function's timeout: Terraform's (module defaults; no live root overrides them) and the
    local cloud's, which a test keeps equal."""
    timeouts = {}
    for service in SERVICES:
        for function in Module(service).functions():
            timeouts[function["function_name"]] = function["timeout"]
    for spec in SERVICES.values():
        for function in spec.functions:
            assert timeouts[function.name] == function.timeout
    return timeouts


def test_one_call_at_its_slowest_is_well_below_every_function_timeout():
    worst = clients.worst_case_seconds()
    timeouts = declared_timeouts()
    assert len(timeouts) == 6
    for name, timeout in timeouts.items():
        # A route makes at most one call to a dependency that is down (tests/faults); the consumer
        # writes a record only while TIME_NEEDED_MS are left (tests/order/test_consumer.py).
        assert worst <= SHARE * timeout, f"{name}: {worst} s of {timeout} s"


def test_terraform_refuses_timeouts_too_short_for_one_call():
    needed = clients.worst_case_seconds() + 1  # and a second to answer
    for service in ("product", "basket", "order"):
        text = (MODULES / service / "variables.tf").read_text()
        minimums = re.findall(r"condition\s*=\s*var\.(\w*timeout) >= (\d+)", text)
        assert minimums, service
        for variable, minimum in minimums:
            assert int(minimum) >= needed, f"{service}: {variable} >= {minimum}"


def test_the_consumer_writes_a_record_only_with_time_for_one_call(entry_points):
    consumer = entry_points["consumer"]
    needed = 1000 * (clients.worst_case_seconds() + 1)
    assert needed == consumer.TIME_NEEDED_MS
    assert consumer.TIME_NEEDED_MS < 1000 * system.CONSUMER_TIMEOUT
    replica = entry_points["replica"]
    assert replica.TIME_NEEDED_MS == needed < 1000 * system.REPLICA_CONSUMER_TIMEOUT


@pytest.fixture
def silent_endpoint():
    """An HTTP endpoint that takes connections and never answers: a stuck dependency."""
    server = socket.create_server(("127.0.0.1", 0), backlog=16)
    taken: list[socket.socket] = []

    def accept():
        while True:
            try:
                taken.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for connection in taken:
        connection.close()


def test_a_dynamodb_that_does_not_answer_is_a_503_within_the_worst_case(silent_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", silent_endpoint)
    monkeypatch.setenv("TABLE_NAME", system.PRODUCT.tables[0].name)
    handler = fresh_import("product.handler")
    started = time.monotonic()
    response = answer(handler, "GET", "/product/00000000-0000-4000-8000-000000000000")
    elapsed = time.monotonic() - started
    assert response.status == 503 and response.headers["Retry-After"] == "1"
    # Both attempts waited out the read timeout, and no more.
    assert clients.ATTEMPTS * clients.READ_TIMEOUT <= elapsed < clients.worst_case_seconds()


def test_a_bus_that_does_not_answer_is_a_503_and_the_basket_stays_locked(silent_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_EVENTBRIDGE", silent_endpoint)
    monkeypatch.setenv("TABLE_NAME", system.BASKET.tables[0].name)
    monkeypatch.setenv("EVENT_BUS_NAME", system.BUS)
    monkeypatch.setenv("CATALOGUE_TABLE_NAME", system.CATALOGUE_TABLE)
    with mock_aws():
        create_tables(system.BASKET)
        handler = fresh_import("basket.handler")
        handler.catalogue.apply_change("p1", 1, "IPhone", Decimal("950.5"))
        owner = claims("swn")
        answer(handler, "POST", "/basket", {"userName": "swn", "items": [CHECKOUT_LINE]}, caller=owner)
        started = time.monotonic()
        response = answer(handler, "POST", "/basket/checkout", CHECKOUT, caller=owner)
        elapsed = time.monotonic() - started
        assert response.status == 503 and response.headers["Retry-After"] == "1"
        assert elapsed < clients.worst_case_seconds()
        # The event may have been taken: locked, so that the retry sends the very same event.
        assert handler.repository.get("swn").pendingCheckout is not None


CHECKOUT_LINE = {"productId": "p1", "quantity": 2}


def test_a_lazy_client_is_made_at_its_first_use_and_once(monkeypatch):
    made = []

    class Events:
        def put_events(self, **_):
            return "sent"

    monkeypatch.setattr(clients, "client", lambda service: made.append(service) or Events())
    lazy = clients.LazyClient("events")
    assert made == []
    assert lazy.put_events() == lazy.put_events() == "sent"
    assert made == ["events"]


def test_the_basket_makes_its_eventbridge_client_at_the_first_checkout_not_at_init(entry_points):
    """Only checkouts publish: the other routes' cold starts do not pay for the client."""
    assert entry_points["basket"].publisher._client._client is None
