"""The whole flow over HTTP on the local cloud: products, basket, checkout, order."""

import json
import time
import uuid

import pytest

from scripts.localcloud import system
from tests.e2e.conftest import eventually
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
    return f"user-{uuid.uuid4().hex[:8]}"


def orders_of(http, user):
    response = http.get(f"/order/{user}")
    assert response.status_code == 200
    return response.json()["items"]


def fill_basket(http, user) -> list[dict]:
    products = [
        http.post("/product", json={"name": name, "category": "e2e", "price": price}).json()
        for name, price in (("IPhone X", 950.5), ("Cable", 0.1))
    ]
    items = [
        {"productId": p["id"], "productName": p["name"], "price": p["price"], "quantity": quantity}
        for p, quantity in zip(products, (2, 3), strict=True)
    ]
    response = http.post("/basket", json={"userName": user, "items": items})
    assert response.status_code == 200 and response.json()["totalPrice"] == 1901.3
    return items


def test_a_checkout_becomes_an_order_with_the_basket_items_and_total(http, user):
    items = fill_basket(http, user)
    response = http.post("/basket/checkout", json={"userName": user, **DETAILS})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted == {"checkoutId": accepted["checkoutId"], "userName": user, "totalPrice": 1901.3}

    (order,) = eventually(lambda: orders_of(http, user), timeout=10)
    assert order["orderId"] == accepted["checkoutId"]
    assert order["items"] == [{**item, "color": None} for item in items]
    assert order["totalPrice"] == 1901.3
    assert {k: order[k] for k in DETAILS} == DETAILS
    assert http.get(f"/basket/{user}").status_code == 404
    assert http.post("/basket/checkout", json={"userName": user, **DETAILS}).status_code == 404


def test_an_empty_basket_cannot_be_checked_out(http, user):
    http.post("/basket", json={"userName": user, "items": []})
    assert http.post("/basket/checkout", json={"userName": user, **DETAILS}).status_code == 409
    assert http.post("/basket/checkout", json={"userName": f"{user}-none", **DETAILS}).status_code == 404


def event_for(user: str) -> dict:
    event = json.loads(json.dumps(checkout_schema()["examples"][0]))
    event["detail"].update(checkoutId=str(uuid.uuid4()), userName=user)
    return event


def send(cloud, *bodies) -> None:
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body))


def test_the_same_event_delivered_three_times_makes_one_order(cloud, http, user):
    event = event_for(user)
    send(cloud, event, event, event)
    eventually(lambda: orders_of(http, user))
    time.sleep(1)  # room for a wrong second order to show up
    assert [o["orderId"] for o in orders_of(http, user)] == [event["detail"]["checkoutId"]]


def test_a_poison_message_ends_in_the_dlq_and_the_others_become_orders(cloud, http, user):
    poison = f"poison {uuid.uuid4()}"
    events = [event_for(user) for _ in range(2)]
    send(cloud, events[0], poison, events[1])
    eventually(lambda: len(orders_of(http, user)) == 2)
    sqs = cloud.client("sqs")
    dlq = sqs.get_queue_url(QueueName=DLQ)["QueueUrl"]

    def poison_in_dlq():
        messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        return any(m["Body"] == poison for m in messages)

    # maxReceiveCount (5) receives, REDELIVERY_SECONDS apart.
    eventually(poison_in_dlq, timeout=5 * 2 + 20, interval=0.5)
    assert {o["orderId"] for o in orders_of(http, user)} == {e["detail"]["checkoutId"] for e in events}
