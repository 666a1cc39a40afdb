"""AWS calls per request, counted by botocore hooks (as `make bench` counts them): the budgets
of what a request may cost, checked on every change."""

import pytest

from scripts.bench import awscalls
from scripts.bench.routes import LIST_ROUTES, ROUTES


@pytest.fixture(scope="module")
def calls(cloud):
    return awscalls.measure(cloud.aws)


def test_no_route_a_customer_calls_scans(calls):
    customer = {r.name for r in ROUTES if r.customer}
    assert not [name for name in customer if calls["routes"][name]["scan"]]


def test_list_routes_read_one_page_with_one_call(calls):
    assert {name: calls["routes"][name]["calls"] for name in LIST_ROUTES} == dict.fromkeys(LIST_ROUTES, 1)


def test_checkout_costs_five_calls_on_the_happy_path(calls):
    """Before catalogue prices: GetItem, UpdateItem, PutEvents, DeleteItem; now one BatchGetItem more."""
    checkout = calls["routes"]["POST /basket/checkout"]
    assert checkout["operations"] == ["GetItem", "BatchGetItem", "UpdateItem", "PutEvents", "DeleteItem"]


def test_saving_a_basket_costs_two_calls(calls):
    """The catalogue's prices of every line in one BatchGetItem, and the write (before: UpdateItem alone)."""
    assert calls["routes"]["POST /basket"]["operations"] == ["BatchGetItem", "UpdateItem"]


def test_the_product_api_makes_no_call_for_the_product_events(calls):
    """The events come from the table's stream: each product write is still its one call."""
    writes = {
        name: calls["routes"][name]["operations"]
        for name in ("POST /product", "PUT /product/{id}", "DELETE /product/{id}")
    }
    assert writes == {
        "POST /product": ["PutItem"],
        "PUT /product/{id}": ["UpdateItem"],
        "DELETE /product/{id}": ["DeleteItem"],
    }


def test_every_route_costs_the_same_each_time(calls):
    assert not [name for name, route in calls["routes"].items() if route["varies"]]


def test_the_consumer_makes_one_call_per_record_new_or_duplicate(calls):
    assert calls["consumer"] == {"new": 1, "duplicate": 1, "operations": ["PutItem"]}
