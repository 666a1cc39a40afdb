"""A client that lost the 202 of its checkout asks for its order by the checkoutId, over HTTP on
the local cloud: 404 while the order is not made, then the order; the owner's or an admin's."""

import json
import uuid

from scripts.localcloud import system
from tests.e2e.conftest import eventually, new_user
from tests.helpers import checkout_schema

DETAILS = {
    "firstName": "Ana",
    "lastName": "Lima",
    "email": "ana@example.com",
    "address": "Lisboa",
    "paymentMethod": "card",
}


def status_of(session, path: str) -> int:
    return session.get(path).status_code


def test_the_order_of_a_checkout_is_found_by_its_id(sign_in, admin, phone):
    user = new_user("lookup")
    http = sign_in(user)
    line = {"productId": phone["id"], "quantity": 2}  # at 10
    assert http.post("/basket", json={"userName": user, "items": [line]}).status_code == 200
    checkout_id = http.post("/basket/checkout", json=DETAILS).json()["checkoutId"]
    path = f"/order/{user}/{checkout_id}"
    eventually(lambda: status_of(http, path) == 200)
    order = http.get(path).json()
    assert order["orderId"] == checkout_id and order["userName"] == user and order["totalPrice"] == 20
    assert admin.get(path).json() == order
    assert sign_in(new_user("other")).get(path).status_code == 403


def test_an_order_not_yet_made_is_404_until_its_event_is_consumed(cloud, sign_in):
    user = new_user("lookup")
    http = sign_in(user)
    checkout_id = str(uuid.uuid4())
    path = f"/order/{user}/{checkout_id}"
    response = http.get(path)
    assert (
        response.status_code == 404
        and "a moment after its checkout is accepted" in response.json()["message"]
    )
    event = json.loads(json.dumps(checkout_schema()["examples"][0]))
    event["detail"].update(checkoutId=checkout_id, userName=user)
    sqs = cloud.client("sqs")
    queue = sqs.get_queue_url(QueueName=system.ORDER_QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(event))
    eventually(lambda: status_of(http, path) == 200)


def test_another_users_order_is_404_under_ones_own_name(sign_in, phone):
    owner, other = new_user("owner"), new_user("other")
    as_owner = sign_in(owner)
    line = {"productId": phone["id"], "quantity": 2}
    assert as_owner.post("/basket", json={"userName": owner, "items": [line]}).status_code == 200
    checkout_id = as_owner.post("/basket/checkout", json=DETAILS).json()["checkoutId"]
    eventually(lambda: status_of(as_owner, f"/order/{owner}/{checkout_id}") == 200)
    assert status_of(sign_in(other), f"/order/{other}/{checkout_id}") == 404
