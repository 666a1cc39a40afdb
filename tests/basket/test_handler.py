"""The basket API in process: routes, status codes and error bodies (the e2e tests go over HTTP)."""

from functools import partial

import pytest

from tests import helpers
from tests.basket.test_models import CHECKOUT
from tests.helpers import ADMIN, claims

SWN = claims("swn")
call = partial(helpers.call, caller=SWN)  # swn calls, unless a test says otherwise

# A line as the client sends it, and as the basket holds it: named and priced from the catalogue.
SENT = {"productId": "p1", "quantity": 2, "color": "black"}
LINE = {"productId": "p1", "productName": "IPhone", "price": 950.5, "quantity": 2, "color": "black"}


def test_save_get_and_list(handler):
    status, basket = call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    assert status == 200 and basket == {
        "userName": "swn",
        "items": [LINE],
        "totalPrice": 1901.0,
        "checkoutId": None,
    }
    assert call(handler, "GET", "/basket/swn") == (200, basket)
    call(handler, "POST", "/basket", {"userName": "ana", "items": []}, caller=claims("ana"))
    status, page = call(handler, "GET", "/basket", query={"limit": "1"}, caller=ADMIN)
    second = call(
        handler, "GET", "/basket", query={"limit": "1", "nextToken": page["nextToken"]}, caller=ADMIN
    )[1]
    assert {b["userName"] for b in page["items"] + second["items"]} == {"swn", "ana"}


def test_a_post_replaces_the_basket(handler):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    _, basket = call(handler, "POST", "/basket", {"userName": "swn", "items": [{**SENT, "quantity": 1}]})
    assert basket["totalPrice"] == 950.5


def test_the_client_cannot_set_the_total(handler):
    status, body = call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT], "totalPrice": 1})
    assert status == 400 and body["errors"][0]["field"] == "totalPrice"


def test_unknown_baskets_are_404(handler):
    assert call(handler, "GET", "/basket/nobody", caller=ADMIN)[0] == 404
    assert call(handler, "DELETE", "/basket/nobody", caller=ADMIN)[0] == 404
    assert (
        call(handler, "POST", "/basket/checkout", {**CHECKOUT, "userName": "nobody"}, caller=ADMIN)[0] == 404
    )


def test_checkout_of_an_empty_basket_is_409(handler):
    call(handler, "POST", "/basket", {"userName": "swn", "items": []})
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 409 and "empty" in body["message"]


def test_checkout_is_202_with_the_checkout_id_and_total(handler, published):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 202 and body == {
        "checkoutId": body["checkoutId"],
        "userName": "swn",
        "totalPrice": 1901.0,
    }
    assert [e["detail"]["checkoutId"] for e in published.all()] == [body["checkoutId"]]
    assert call(handler, "GET", "/basket/swn")[0] == 404


def test_card_data_is_refused_and_never_logged(handler, published, capsys):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    status, body = call(handler, "POST", "/basket/checkout", {**CHECKOUT, "cardInfo": "4111 1111 1111 1111"})
    assert status == 400 and body["errors"] == [
        {"field": "cardInfo", "message": "Extra inputs are not permitted"}
    ]
    assert published.all() == [] and "4111" not in capsys.readouterr().out


def test_a_bus_failure_is_503_and_the_basket_is_kept(handler, published, monkeypatch):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    failed = {
        "FailedEntryCount": 1,
        "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow"}],
    }
    monkeypatch.setattr(handler.publisher._client, "put_events", lambda **_: failed)
    status, body = call(handler, "POST", "/basket/checkout", CHECKOUT)
    assert status == 503 and "Retry" in body["message"] and "Throttling" not in body["message"]
    status, basket = call(handler, "GET", "/basket/swn")
    assert basket["items"] == [LINE] and basket["checkoutId"]
    monkeypatch.undo()
    assert call(handler, "POST", "/basket/checkout", CHECKOUT)[1]["checkoutId"] == basket["checkoutId"]


def test_percent_encoded_user_names_are_decoded(handler):
    owner = claims("a+b@x.io")
    call(handler, "POST", "/basket", {"userName": "a+b@x.io", "items": [SENT]}, caller=owner)
    assert call(handler, "GET", "/basket/a%2Bb%40x.io", caller=owner)[1]["userName"] == "a+b@x.io"
    assert call(handler, "DELETE", "/basket/a%2Bb%40x.io", caller=owner)[0] == 204


def test_malformed_user_names_are_404_without_a_lookup(handler):
    status, body = call(handler, "GET", "/basket/" + "x" * 3000, caller=ADMIN)
    assert status == 404 and "xxx" not in body["message"] and body["errors"][0]["field"] == "userName"
    assert call(handler, "DELETE", "/basket/a b", caller=ADMIN)[0] == 404


# Who may do what: the caller's own basket, or any for an administrator.


def test_another_users_basket_is_403_for_every_route(handler):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    ana = claims("ana")
    for method, path, body in [
        ("GET", "/basket/swn", None),
        ("DELETE", "/basket/swn", None),
        ("POST", "/basket", {"userName": "swn", "items": []}),
        ("POST", "/basket/checkout", CHECKOUT),
    ]:
        status, answer = call(handler, method, path, body, caller=ana)
        assert status == 403 and answer == {"message": "Forbidden: you may act only for yourself"}, path
    assert call(handler, "GET", "/basket/swn")[1]["items"] == [LINE]


def test_everyones_baskets_are_for_administrators_only(handler):
    status, body = call(handler, "GET", "/basket")
    assert status == 403 and "administrator" in body["message"]
    assert call(handler, "GET", "/basket", caller=claims("swn", "staff"))[0] == 403
    assert call(handler, "GET", "/basket", caller=ADMIN)[0] == 200


def test_an_administrator_may_act_on_any_basket(handler, published):
    assert call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]}, caller=ADMIN)[0] == 200
    assert call(handler, "GET", "/basket/swn", caller=ADMIN)[1]["items"] == [LINE]
    status, accepted = call(handler, "POST", "/basket/checkout", CHECKOUT, caller=ADMIN)
    assert status == 202 and accepted["userName"] == "swn"


def test_a_checkout_without_user_name_is_the_callers(handler, published):
    call(handler, "POST", "/basket", {"userName": "swn", "items": [SENT]})
    details = {k: v for k, v in CHECKOUT.items() if k != "userName"}
    status, accepted = call(handler, "POST", "/basket/checkout", details)
    assert status == 202 and accepted["userName"] == "swn"
    assert [e["detail"]["userName"] for e in published.all()] == ["swn"]


def test_a_caller_whose_name_cannot_own_a_basket_is_400_not_500(handler):
    details = {k: v for k, v in CHECKOUT.items() if k != "userName"}
    status, body = call(handler, "POST", "/basket/checkout", details, caller=claims("名前"))
    assert status == 400 and body["errors"][0]["field"] == "userName"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/basket", None),
        ("GET", "/basket/swn", None),
        ("DELETE", "/basket/swn", None),
        ("POST", "/basket", {"userName": "swn", "items": []}),
        ("POST", "/basket/checkout", CHECKOUT),
        ("POST", "/basket", {"not": "valid"}),
    ],
)
def test_without_verified_claims_every_route_is_401_json(handler, method, path, body):
    status, answer = call(handler, method, path, body, caller=None)
    assert status == 401 and answer == {"message": "Unauthorized: the request carries no verified identity"}
