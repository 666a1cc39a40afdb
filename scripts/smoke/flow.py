"""The smoke steps, in order, each a question a customer or an operator would ask of the stage:
the catalogue answers anonymously; a secured route refuses a request without a token (401) and
another user's basket (403); an administrator makes a product; once the basket service's replica
has it (eventually: product events), a customer's basket is priced from it and checks out; the
order appears under the checkout's id. What it made is removed at the end (the product, the
users); the order stays, as orders do, under a user name that no longer exists.

Bounded throughout: every request has a timeout, every wait a deadline."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from scripts.smoke.stage import Stage
from scripts.smoke.users import Users

REQUEST_TIMEOUT = 30  # seconds; API Gateway gives up after 29
REPLICA_WAIT = 60  # a product reaches the basket's replica in well under a second, usually
ORDER_WAIT = 120  # a checkout becomes an order through the bus and the order queue
PRICE = Decimal("1.00")
CHECKOUT = {
    "firstName": "Smoke",
    "lastName": "Test",
    "email": "smoke@example.com",
    "address": "1 Test Street",
    "paymentMethod": "invoice",
}


class SmokeFailed(AssertionError):
    pass


@dataclass
class Step:
    name: str
    seconds: float
    detail: str = ""


@dataclass
class Smoke:
    stage: Stage
    users: Users
    http: requests.Session = field(default_factory=requests.Session)
    log: Callable[[str], None] = print
    steps: list[Step] = field(default_factory=list)
    sleep: Callable[[float], None] = time.sleep

    def call(
        self, method: str, service: str, path: str, token: str | None = None, **options: Any
    ) -> requests.Response:
        headers = {"Authorization": token} if token else {}
        return self.http.request(
            method, self.stage.apis[service] + path, headers=headers, timeout=REQUEST_TIMEOUT, **options
        )

    def expect(self, response: requests.Response, status: int, what: str) -> dict:
        if response.status_code != status:
            raise SmokeFailed(f"{what}: expected {status}, got {response.status_code} {response.text[:300]}")
        return response.json() if response.content else {}

    def until(
        self, check: Callable[[], requests.Response | None], seconds: float, what: str
    ) -> requests.Response:
        deadline = time.monotonic() + seconds
        while True:
            answer = check()
            if answer is not None:
                return answer
            if time.monotonic() > deadline:
                raise SmokeFailed(f"{what}: not within {seconds:.0f} s")
            self.sleep(0.5)

    def step(self, name: str, action: Callable[[], str]) -> None:
        started = time.monotonic()
        detail = action()
        self.steps.append(Step(name, time.monotonic() - started, detail))
        self.log(f"ok  {name:<44} {self.steps[-1].seconds * 1000:7.0f} ms  {detail}")


def run(smoke: Smoke) -> list[Step]:
    """Every step; raises SmokeFailed at the first that fails, after removing what it made."""
    state: dict[str, Any] = {}
    try:
        smoke.step("catalogue answers anonymously", lambda: _catalogue(smoke))
        smoke.step("no token is 401", lambda: _unauthorized(smoke))
        smoke.step("sign-in (a customer and an administrator)", lambda: _sign_in(smoke, state))
        smoke.step("an administrator adds a product", lambda: _product(smoke, state))
        smoke.step("the basket is priced from the catalogue", lambda: _basket(smoke, state))
        smoke.step("another user's basket is 403", lambda: _forbidden(smoke, state))
        smoke.step("checkout is accepted", lambda: _checkout(smoke, state))
        smoke.step("the order appears", lambda: _order(smoke, state))
    finally:
        _clean_up(smoke, state)
    return smoke.steps


def _catalogue(smoke: Smoke) -> str:
    page = smoke.expect(smoke.call("GET", "product", "/product", params={"limit": 5}), 200, "GET /product")
    return f"{len(page['items'])} product(s) on the first page"


def _unauthorized(smoke: Smoke) -> str:
    answer = smoke.call("GET", "order", "/order")
    smoke.expect(answer, 401, "GET /order without a token")
    return answer.json().get("message", "")


def _sign_in(smoke: Smoke, state: dict) -> str:
    state["customer"], state["customer_token"] = smoke.users.sign_in("smoke")
    _, state["admin_token"] = smoke.users.sign_in("smoke-admin", admin=True)
    return state["customer"]


def _product(smoke: Smoke, state: dict) -> str:
    body = {"name": f"Smoke test {state['customer']}", "category": "smoke-test", "price": float(PRICE)}
    product = smoke.expect(
        smoke.call("POST", "product", "/product", state["admin_token"], json=body), 201, "POST /product"
    )
    state["product"] = product["id"]
    return product["id"]


def _basket(smoke: Smoke, state: dict) -> str:
    basket = {"userName": state["customer"], "items": [{"productId": state["product"], "quantity": 2}]}

    def priced() -> requests.Response | None:
        answer = smoke.call("POST", "basket", "/basket", state["customer_token"], json=basket)
        return None if answer.status_code == 400 else answer  # not in the replica yet

    saved = smoke.expect(
        smoke.until(priced, REPLICA_WAIT, "the product reaching the basket"), 200, "POST /basket"
    )
    if Decimal(str(saved["totalPrice"])) != 2 * PRICE:
        raise SmokeFailed(f"POST /basket: total {saved['totalPrice']}, expected {2 * PRICE}")
    return f"total {saved['totalPrice']}"


def _forbidden(smoke: Smoke, state: dict) -> str:
    answer = smoke.call("GET", "basket", "/basket/someone-else", state["customer_token"])
    smoke.expect(answer, 403, "GET another user's basket")
    return answer.json().get("message", "")


def _checkout(smoke: Smoke, state: dict) -> str:
    accepted = smoke.expect(
        smoke.call("POST", "basket", "/basket/checkout", state["customer_token"], json=CHECKOUT),
        202,
        "POST /basket/checkout",
    )
    state["checkout"] = accepted["checkoutId"]
    return accepted["checkoutId"]


def _order(smoke: Smoke, state: dict) -> str:
    path = f"/order/{state['customer']}/{state['checkout']}"

    def made() -> requests.Response | None:
        answer = smoke.call("GET", "order", path, state["customer_token"])
        return None if answer.status_code == 404 else answer

    order = smoke.expect(smoke.until(made, ORDER_WAIT, "the order"), 200, f"GET {path}")
    if Decimal(str(order["totalPrice"])) != 2 * PRICE:
        raise SmokeFailed(f"GET {path}: total {order['totalPrice']}, expected {2 * PRICE}")
    return f"order {order['orderId']}"


def _clean_up(smoke: Smoke, state: dict) -> None:
    try:
        if "product" in state:
            smoke.call("DELETE", "product", f"/product/{state['product']}", state["admin_token"])
    finally:
        smoke.users.remove_all()
