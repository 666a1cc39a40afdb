"""The product API in process: routes, status codes and error bodies (the e2e tests go over HTTP)."""

import json
from functools import partial

import pytest

from tests import helpers
from tests.helpers import ADMIN, claims

call = partial(helpers.call, caller=ADMIN)  # an administrator calls, unless a test says otherwise

PHONE = {
    "name": "IPhone X",
    "description": "A phone",
    "category": "Phone",
    "price": 950.5,
    "imageFile": "x.png",
}


def test_create_then_get(handler):
    status, created = call(handler, "POST", "/product", PHONE)
    assert status == 201 and created == {**PHONE, "id": created["id"]}
    assert call(handler, "GET", f"/product/{created['id']}") == (200, created)


def test_price_is_a_json_number_not_a_string(handler):
    status, body = call(handler, "POST", "/product", {**PHONE, "price": "950.50"})
    assert status == 400 and body["errors"] == [{"field": "price", "message": "must be a JSON number"}]


def test_update_of_a_missing_product_does_not_create_it(handler):
    missing = "00000000-0000-4000-8000-000000000000"
    assert call(handler, "PUT", f"/product/{missing}", {"price": 1})[0] == 404
    assert call(handler, "GET", f"/product/{missing}")[0] == 404


def test_empty_or_long_category_filters_are_refused(handler):
    for category in (" ", "x" * 101):
        status, body = call(handler, "GET", "/product", query={"category": category})
        assert status == 400 and body["errors"][0]["field"] == "category"


def test_a_malformed_id_is_404_naming_the_field_without_echoing_it(handler):
    for method in ("GET", "PUT", "DELETE"):
        status, body = call(handler, method, "/product/" + "x" * 10_000, {"price": 1})
        assert status == 404 and "xxx" not in json.dumps(body)
        assert body["errors"] == [{"field": "id", "message": "not a product id"}]


def test_delete_answers_204_without_a_body(handler):
    _, created = call(handler, "POST", "/product", PHONE)
    assert call(handler, "DELETE", f"/product/{created['id']}") == (204, None)
    assert call(handler, "DELETE", f"/product/{created['id']}")[0] == 404


def test_a_dynamodb_outage_is_a_503_not_a_stack_trace(handler, monkeypatch):
    from botocore.exceptions import ClientError

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "GetItem")

    monkeypatch.setattr(handler.repository._client, "get_item", throttled)
    status, body = call(handler, "GET", "/product/00000000-0000-4000-8000-000000000000")
    assert status == 503 and "retry" in body["message"]


def test_an_unexpected_error_is_a_plain_500(handler, monkeypatch):
    def broken(**_):
        raise KeyError("internal detail")

    monkeypatch.setattr(handler.repository._client, "query", broken)
    assert call(handler, "GET", "/product") == (500, {"message": "Internal server error"})


# Reads are public; writes are for administrators.


def test_the_catalogue_is_read_without_signing_in(handler):
    _, created = call(handler, "POST", "/product", PHONE)
    assert call(handler, "GET", f"/product/{created['id']}", caller=None) == (200, created)
    assert call(handler, "GET", "/product", caller=None)[0] == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/product", PHONE),
        ("PUT", "/product/00000000-0000-4000-8000-000000000000", {"price": 1}),
        ("DELETE", "/product/00000000-0000-4000-8000-000000000000", None),
    ],
)
def test_writes_are_403_for_customers_and_401_without_claims(handler, method, path, body):
    status, answer = call(handler, method, path, body, caller=claims("swn", "staff"))
    assert status == 403 and answer == {"message": "Forbidden: only an administrator may do this"}
    assert call(handler, method, path, body, caller=None)[0] == 401


def test_a_customer_changes_nothing(handler):
    _, created = call(handler, "POST", "/product", PHONE)
    call(handler, "PUT", f"/product/{created['id']}", {"price": 1}, caller=claims("swn"))
    call(handler, "DELETE", f"/product/{created['id']}", caller=claims("swn"))
    assert call(handler, "GET", f"/product/{created['id']}") == (200, created)
