"""The order API on moto: one user's orders newest first, date filters, pages."""

from functools import partial

import pytest

from tests import helpers
from tests.helpers import ADMIN, LambdaContext, claims
from tests.order.conftest import checkout_event, sqs_event

DATES = [
    "2026-11-01T09:00:00.000Z",
    "2026-11-15T12:00:00.000Z",
    "2026-11-15T18:30:00.250Z",
    "2026-11-30T23:59:59.999Z",
]


SWN = claims("swn")
call = partial(helpers.call, caller=SWN)  # swn calls, unless a test says otherwise


@pytest.fixture
def orders(api, consumer):
    events = [checkout_event(checked_out_at=d) for d in DATES] + [checkout_event(user="ana")]
    consumer.lambda_handler(sqs_event(*events), LambdaContext())
    return events


def dates(body) -> list[str]:
    return [o["orderDate"] for o in body["items"]]


def test_a_users_orders_come_newest_first(api, orders):
    status, body = call(api, "GET", "/order/swn")
    assert status == 200 and dates(body) == sorted(DATES, reverse=True) and body["nextToken"] is None
    order = body["items"][0]
    assert set(order) == {
        "orderId",
        "userName",
        "orderDate",
        "items",
        "totalPrice",
        "firstName",
        "lastName",
        "email",
        "address",
        "paymentMethod",
    }


def test_a_user_without_orders_gets_an_empty_page(api, orders):
    assert call(api, "GET", "/order/nobody", caller=claims("nobody")) == (
        200,
        {"items": [], "nextToken": None},
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"orderDate": "2026-11-15"}, DATES[2:0:-1]),
        ({"orderDate": "2026-11-15T18:30:00.250Z"}, [DATES[2]]),
        ({"orderDate": "2026-11-15T20:30:00.250+02:00"}, [DATES[2]]),
        ({"orderDate": "2026-11-16"}, []),
        ({"from": "2026-11-15", "to": "2026-11-30"}, DATES[:0:-1]),
        ({"from": "2026-11-15T12:00:00.001Z"}, DATES[:1:-1]),
        ({"to": "2026-11-15T12:00:00.000Z"}, DATES[1::-1]),
    ],
)
def test_date_filters(api, orders, query, expected):
    assert dates(call(api, "GET", "/order/swn", query=query)[1]) == expected


def test_pages_of_a_user_follow_on(api, orders):
    first = call(api, "GET", "/order/swn", query={"limit": "3"})[1]
    second = call(api, "GET", "/order/swn", query={"limit": "3", "nextToken": first["nextToken"]})[1]
    assert dates(first) + dates(second) == sorted(DATES, reverse=True) and second["nextToken"] is None


def test_a_token_of_another_user_is_refused(api, orders):
    token = call(api, "GET", "/order/swn", query={"limit": "1"})[1]["nextToken"]
    status, body = call(api, "GET", "/order/ana", query={"nextToken": token}, caller=ADMIN)
    assert status == 400 and body["errors"][0]["field"] == "nextToken"


def test_all_orders_in_pages(api, orders):
    seen, token = [], None
    while True:
        query = {"limit": "2", **({"nextToken": token} if token else {})}
        body = call(api, "GET", "/order", query=query, caller=ADMIN)[1]
        seen += [o["orderId"] for o in body["items"]]
        if not (token := body["nextToken"]):
            break
    assert sorted(seen) == sorted(e["detail"]["checkoutId"] for e in orders)


def test_bad_filters_are_400_naming_the_parameter(api, orders):
    status, body = call(api, "GET", "/order/swn", query={"from": "last week"})
    assert status == 400 and body["errors"][0]["field"] == "from"


def test_a_malformed_user_name_is_400(api, orders):
    status, body = call(api, "GET", "/order/" + "x" * 3000, caller=ADMIN)
    assert status == 400 and body["errors"][0]["field"] == "userName"


def test_percent_encoded_user_names_are_decoded(api, consumer):
    consumer.lambda_handler(sqs_event(checkout_event(user="a+b@x.io")), LambdaContext())
    assert len(call(api, "GET", "/order/a%2Bb%40x.io", caller=claims("a+b@x.io"))[1]["items"]) == 1


# Each customer reads their own orders; an administrator reads anyone's, and all of them.


def test_another_users_orders_are_403(api, orders):
    status, body = call(api, "GET", "/order/swn", caller=claims("ana"))
    assert status == 403 and body == {"message": "Forbidden: you may act only for yourself"}
    assert call(api, "GET", "/order/" + "x" * 3000)[0] == 403  # refused before it is validated


def test_an_administrator_reads_anyones_orders(api, orders):
    assert len(call(api, "GET", "/order/swn", caller=ADMIN)[1]["items"]) == len(DATES)


def test_all_orders_are_for_administrators_only(api, orders):
    status, body = call(api, "GET", "/order")
    assert status == 403 and "administrator" in body["message"]


def test_without_verified_claims_the_order_api_is_401(api, orders):
    assert call(api, "GET", "/order/swn", caller=None)[0] == 401
    assert call(api, "GET", "/order", caller=None)[0] == 401


# One order by its id: what a client that lost the 202 of its checkout asks for.


def test_an_order_is_found_by_its_checkout_id(api, orders):
    checkout_id = orders[0]["detail"]["checkoutId"]
    status, body = call(api, "GET", f"/order/swn/{checkout_id}")
    assert status == 200 and body["orderId"] == checkout_id and body["orderDate"] == DATES[0]
    assert call(api, "GET", f"/order/swn/{checkout_id}", caller=ADMIN) == (200, body)


def test_an_order_not_yet_made_is_404_and_says_it_may_come(api, orders):
    status, body = call(api, "GET", "/order/swn/0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21")
    assert status == 404 and "a moment after its checkout is accepted" in body["message"]


def test_another_users_order_is_not_found_under_ones_own_name(api, orders):
    anas = orders[-1]["detail"]["checkoutId"]
    status, _ = call(api, "GET", f"/order/swn/{anas}")
    assert status == 404
    assert call(api, "GET", f"/order/ana/{anas}")[0] == 403  # and swn may not ask under ana's name


def test_a_malformed_order_id_is_404_naming_the_field_not_echoing_it(api, orders):
    status, body = call(api, "GET", "/order/swn/" + "x" * 3000)
    assert status == 404 and body["errors"] == [{"field": "orderId", "message": "not an order id"}]
    assert "xxx" not in body["message"]


def test_percent_encoded_names_find_their_order(api, consumer):
    event = checkout_event(user="a+b@x.io")
    consumer.lambda_handler(sqs_event(event), LambdaContext())
    path = f"/order/a%2Bb%40x.io/{event['detail']['checkoutId']}"
    assert call(api, "GET", path, caller=claims("a+b@x.io"))[0] == 200


@pytest.mark.parametrize("path", ["/order/checkout", "/order/checkout/0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21"])
def test_the_reserved_user_name_is_400(api, path):
    status, body = call(api, "GET", path, caller=ADMIN)
    assert status == 400 and body["errors"][0]["field"] == "userName" and "reserved" in body["message"]
