"""The whole flow over HTTP on the local cloud, signed in: products, basket, checkout, order."""

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from scripts.localcloud import system
from tests.e2e.conftest import ends_in_dlq, eventually, new_user
from tests.helpers import checkout_schema

DETAILS = {
    "firstName": "Mehmet",
    "lastName": "Ozkaya",
    "email": "m@example.com",
    "address": "Istanbul",
    "paymentMethod": "card",
}
QUEUE, DLQ, _ = (q.name for q in system.ORDER.queues)


@pytest.fixture
def user():
    return new_user()


@pytest.fixture
def shopper(sign_in, user):
    """The signed-in session of `user`."""
    return sign_in(user)


def orders_of(http, user):
    response = http.get(f"/order/{user}")
    assert response.status_code == 200, response.text
    return response.json()["items"]


def fill_basket(http, user, catalogue) -> list[dict]:
    """The basket of two new products; returns its lines as the basket holds them."""
    products = [catalogue.product(name, price) for name, price in (("IPhone X", 950.5), ("Cable", 0.1))]
    lines = [
        {"productId": p["id"], "quantity": quantity} for p, quantity in zip(products, (2, 3), strict=True)
    ]
    response = http.post("/basket", json={"userName": user, "items": lines})
    assert response.status_code == 200 and response.json()["totalPrice"] == 1901.3
    return [
        {"productId": p["id"], "productName": p["name"], "price": p["price"], "quantity": line["quantity"]}
        for p, line in zip(products, lines, strict=True)
    ]


def test_a_checkout_becomes_an_order_with_the_basket_items_and_total(shopper, user, catalogue):
    http = shopper
    items = fill_basket(http, user, catalogue)
    response = http.post("/basket/checkout", json={"userName": user, **DETAILS})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted == {"checkoutId": accepted["checkoutId"], "userName": user, "totalPrice": 1901.3}

    (order,) = eventually(lambda: orders_of(http, user))
    assert order["orderId"] == accepted["checkoutId"]
    assert order["items"] == [{**item, "color": None} for item in items]
    assert order["totalPrice"] == 1901.3
    assert {k: order[k] for k in DETAILS} == DETAILS
    assert http.get(f"/basket/{user}").status_code == 404
    assert http.post("/basket/checkout", json={"userName": user, **DETAILS}).status_code == 404


def test_an_empty_basket_cannot_be_checked_out(shopper, user, sign_in):
    shopper.post("/basket", json={"userName": user, "items": []})
    assert shopper.post("/basket/checkout", json={"userName": user, **DETAILS}).status_code == 409
    assert sign_in(new_user("none")).post("/basket/checkout", json=DETAILS).status_code == 404


def event_for(user: str) -> dict:
    event = json.loads(json.dumps(checkout_schema()["examples"][0]))
    event["detail"].update(checkoutId=str(uuid.uuid4()), userName=user)
    return event


def send(cloud, *bodies) -> None:
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body))


def test_the_same_event_delivered_three_times_makes_one_order(cloud, shopper, user):
    http = shopper
    event = event_for(user)
    send(cloud, event, event, event)
    eventually(lambda: orders_of(http, user))
    time.sleep(1)  # room for a wrong second order to show up
    assert [o["orderId"] for o in orders_of(http, user)] == [event["detail"]["checkoutId"]]


def test_a_poison_message_ends_in_the_dlq_and_the_others_become_orders(cloud, shopper, user):
    http = shopper
    poison = f"poison {uuid.uuid4()}"
    events = [event_for(user) for _ in range(2)]
    send(cloud, events[0], poison, events[1])
    eventually(lambda: len(orders_of(http, user)) == 2)
    ends_in_dlq(cloud, DLQ, poison)
    assert {o["orderId"] for o in orders_of(http, user)} == {e["detail"]["checkoutId"] for e in events}


def test_a_checkout_without_user_name_is_the_callers_and_theirs_only(sign_in, admin, phone):
    alice, bob = new_user("alice"), new_user("bob")
    as_alice, as_bob = sign_in(alice), sign_in(bob)
    line = {"productId": phone["id"], "quantity": 1}
    for session, user, quantity in ((as_alice, alice, 1), (as_bob, bob, 2)):
        basket = {"userName": user, "items": [{**line, "quantity": quantity}]}
        assert session.post("/basket", json=basket).status_code == 200
    # Both check out at once without naming themselves: each gets an order of their own basket.
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = dict(
            zip(
                (alice, bob),
                pool.map(lambda s: s.post("/basket/checkout", json=DETAILS), (as_alice, as_bob)),
                strict=True,
            )
        )
    accepted = {}
    for user, response in responses.items():
        assert response.status_code == 202 and response.json()["userName"] == user, response.text
        accepted[user] = response.json()
    for session, user in ((as_alice, alice), (as_bob, bob)):
        (order,) = eventually(lambda s=session, u=user: orders_of(s, u))
        assert order["userName"] == user and order["orderId"] == accepted[user]["checkoutId"]
        assert order["totalPrice"] == accepted[user]["totalPrice"]
    assert {o["orderId"] for o in orders_of(admin, alice) + orders_of(admin, bob)} == {
        a["checkoutId"] for a in accepted.values()
    }
    # Neither reads nor checks out the other's basket or orders.
    assert as_alice.get(f"/order/{bob}").status_code == 403
    assert as_alice.get(f"/basket/{bob}").status_code == 403
    assert as_alice.post("/basket/checkout", json={"userName": bob, **DETAILS}).status_code == 403
