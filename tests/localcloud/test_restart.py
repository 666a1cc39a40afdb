"""State across restarts of the local cloud, as `make run` runs it: Ctrl-C and start again, a
kill -9, and FRESH=1. A checkout in progress at a restart is neither lost nor ordered twice.
Ctrl-C stops the cloud whichever thread the kernel hands it to."""

import os
import signal
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from basket.checkout import new_checkout
from basket.models import CheckoutRequest
from basket.repository import BasketRepository
from scripts.localcloud import instance, process, system
from tests.e2e.conftest import ApiSession, Catalogue, Cloud, eventually

DETAILS = {
    "firstName": "Alice",
    "lastName": "Liddell",
    "email": "alice@example.com",
    "address": "Oxford",
    "paymentMethod": "card",
}
CONSUMER = system.name("order", "consumer")
QUEUED_SECONDS = 10  # how long bob's checkout event waits in the queue, unconsumed, across the restart


def start(state: Path, *arguments: str) -> Cloud:
    try:
        return Cloud(**vars(process.start(state, *arguments)))
    except RuntimeError as error:
        pytest.fail(str(error))


def ctrl_c_to_a_worker_thread(cloud: Cloud) -> int:
    """Ctrl-C as the kernel may deliver it, to a thread other than the main one (interrupt.py);
    the exit status."""
    pid = cloud.process.pid
    for thread in sorted(int(t) for t in os.listdir(f"/proc/{pid}/task") if int(t) != pid):
        try:
            os.kill(thread, signal.SIGINT)  # a thread's id: the process's signal, given to that thread
            break
        except ProcessLookupError:  # that thread ended meanwhile
            continue
    else:
        pytest.fail("the local cloud has no thread but its main one")
    try:
        return cloud.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        cloud.process.kill()
        raise


def orders(admin: ApiSession, user: str) -> list[dict]:
    """The orders of `user`; an order's orderId is the checkoutId it was made from."""
    response = admin.get(f"/order/{user}")
    assert response.status_code == 200, response.text
    return response.json()["items"]


def queue_url(cloud: Cloud) -> str:
    return cloud.client("sqs").get_queue_url(QueueName=system.ORDER_QUEUE)["QueueUrl"]


def queued(cloud: Cloud) -> int:
    """Messages in the order queue: visible, in flight or delayed."""
    attributes = cloud.client("sqs").get_queue_attributes(QueueUrl=queue_url(cloud), AttributeNames=["All"])
    counts = attributes["Attributes"]
    return sum(
        int(counts[name])
        for name in (
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        )
    )


def lock_basket(cloud: Cloud, user: str) -> str:
    """What a crash between recording a checkout and publishing it leaves: a basket locked to a
    checkout whose event was never sent (checkout.py, step 1 of 3). Returns its checkoutId."""
    baskets = BasketRepository(cloud.client("dynamodb"), system.name("basket"))
    basket = baskets.get(user)
    checkout = new_checkout(
        basket, CheckoutRequest(userName=user, **DETAILS), str(uuid.uuid4()), datetime.now(UTC)
    )
    baskets.record_checkout(basket, checkout)
    return checkout.checkoutId


def fill_basket(session: ApiSession, user: str, product: dict) -> None:
    """A line of `product` (which the basket's catalogue replica holds: it prices the line)."""
    line = {"productId": product["id"], "price": product["price"], "quantity": 1}
    response = session.post("/basket", json={"userName": user, "items": [line]})
    assert response.status_code == 200, response.text


def test_a_checkout_in_progress_at_a_restart_is_neither_lost_nor_ordered_twice(tmp_path):
    state = tmp_path / "state"
    first = start(state)
    try:
        admin = ApiSession(first.api, first.token("boss", admin=True))
        alice_token = first.token("alice")
        alice, bob = ApiSession(first.api, alice_token), ApiSession(first.api, first.token("bob"))
        product = Catalogue(first, admin).product("Lamp", 12.5, "Home")
        fill_basket(alice, "alice", product)
        fill_basket(bob, "bob", product)
        # alice's checkout was recorded, then the process died before publishing: a locked basket.
        locked = lock_basket(first, "alice")
        assert alice.post("/basket", json={"userName": "alice", "items": []}).status_code == 409
        # bob's checkout was published: its event waits in the order queue, not yet consumed.
        sqs = first.client("sqs")
        sqs.set_queue_attributes(QueueUrl=queue_url(first), Attributes={"DelaySeconds": str(QUEUED_SECONDS)})
        accepted = bob.post("/basket/checkout", json=DETAILS)
        assert accepted.status_code == 202, accepted.text
        bobs = accepted.json()["checkoutId"]
        sqs.set_queue_attributes(QueueUrl=queue_url(first), Attributes={"DelaySeconds": "0"})
        assert queued(first) == 1 and orders(admin, "bob") == []
    finally:
        assert first.stop() == 0
    said = first.output.read_text()
    assert f"State saved to {state / 'aws-state.pickle'}" in said
    assert f"{CONSUMER}: batch of" not in said  # nothing was consumed before the restart

    mark = first.output.stat().st_size
    second = start(state)
    try:
        assert "State        restored from" in second.console_since(mark)
        admin = ApiSession(second.api, second.token("boss", admin=True))
        alice = ApiSession(second.api, alice_token)  # a token from before the restart
        assert alice.get(f"/product/{product['id']}").json()["name"] == "Lamp"
        # The restored product table's stream still feeds the basket's catalogue replica.
        assert Catalogue(second, admin).update(product["id"], price=13)["price"] == 13
        basket = alice.get("/basket/alice")
        assert basket.status_code == 200 and basket.json()["checkoutId"] == locked
        # bob's queued event becomes his order, once.
        bob_orders = eventually(lambda: orders(admin, "bob"), timeout=QUEUED_SECONDS + 20)
        assert [o["orderId"] for o in bob_orders] == [bobs]
        # consumed after it (the batch's line is written once the function has answered, which
        # may be just after the order can be read)
        eventually(lambda: f"{CONSUMER}: batch of 1: 1 done" in second.console_since(mark), timeout=30)
        assert (
            ApiSession(second.api, second.token("bob")).post("/basket/checkout", json=DETAILS).status_code
            == 404
        )
        # alice's retry publishes the recorded checkout: her order, once, under the recorded id.
        retried = alice.post("/basket/checkout", json=DETAILS)
        assert retried.status_code == 202 and retried.json()["checkoutId"] == locked
        alice_orders = eventually(lambda: orders(admin, "alice"), timeout=30)
        assert [o["orderId"] for o in alice_orders] == [locked]
        eventually(lambda: queued(second) == 0, timeout=30)
        assert [o["orderId"] for o in orders(admin, "bob")] == [bobs]
        assert [o["orderId"] for o in orders(admin, "alice")] == [locked]
    finally:
        assert second.stop() == 0


def test_a_kill_9_keeps_what_the_last_snapshot_held_and_fresh_starts_empty(tmp_path):
    state = tmp_path / "state"
    first = start(state, "--snapshot-seconds", "1")
    snapshot = state / "aws-state.pickle"
    try:
        admin = ApiSession(first.api, first.token("boss", admin=True))
        created = admin.post("/product", json={"name": "Kettle", "category": "Home", "price": 30}).json()
        written = snapshot.stat().st_mtime_ns if snapshot.exists() else 0
        eventually(lambda: snapshot.exists() and snapshot.stat().st_mtime_ns > written, timeout=30)
    finally:
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()

    mark = first.output.stat().st_size
    second = start(state)
    try:
        assert "State        restored from" in second.console_since(mark)
        found = ApiSession(second.api).get(f"/product/{created['id']}")
        assert found.status_code == 200 and found.json()["name"] == "Kettle"
    finally:
        assert second.stop() == 0

    mark = second.output.stat().st_size
    third = start(state, "--fresh")
    try:
        said = third.console_since(mark)
        assert "State        empty, as asked (FRESH=1): the saved state" in said and ": 0 items in" in said
        assert ApiSession(third.api).get("/product").json()["items"] == []
        endpoints = instance.endpoints(state)
        assert endpoints["user_pools"][system.USER_POOL]["id"] != "", endpoints
    finally:
        assert ctrl_c_to_a_worker_thread(third) == 0
