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
