"""The routes the benchmark calls, each with the untimed setup that makes its request valid.

A route's `prepare` gets an `Api` (over HTTP, or the handlers in this process) and returns the
request to time; whatever it needs first (a product, a basket) it makes through the same Api.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from scripts.localcloud import system

# Who calls: nobody signed in, the one benchmark customer, or an administrator.
PUBLIC, CUSTOMER, ADMIN = "public", "customer", "admin"
USERS = {CUSTOMER: "bench-customer", ADMIN: "bench-admin"}


class Api(Protocol):
    def request(
        self, method: str, path: str, body: Any, query: dict[str, str] | None, caller: str
    ) -> tuple[int, Any]: ...


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None
    query: dict[str, str] | None = None
    caller: str = CUSTOMER


@dataclass
class Fixtures:
    """What several requests may share: made once per Api."""

    api: Api
    shared: dict[str, str] = field(default_factory=dict)

    def call(self, request: Request, expected: int) -> Any:
        status, body = self.api.request(
            request.method, request.path, request.body, request.query, request.caller
        )
        if status != expected:
            raise RuntimeError(f"{request.method} {request.path}: {status} {body}")
        return body

    def new_product(self) -> str:
        product = {"name": f"bench {uuid.uuid4().hex[:6]}", "category": "bench", "price": 9.5}
        return self.call(Request("POST", "/product", product, caller=ADMIN), 201)["id"]

    def product(self) -> str:
        if "product" not in self.shared:
            self.shared["product"] = self.new_product()
        return self.shared["product"]

    def on_sale(self) -> str:
        """A product the basket's catalogue replica holds, for baskets; no route changes it, so a
        checkout is never refused for a new price. The replica is fed asynchronously (the
        product events): the basket is tried until it prices the product, for 30 s at most."""
        if "on_sale" not in self.shared:
            product_id = self.new_product()
            deadline = time.monotonic() + 30
            while (
                self.api.request("POST", "/basket", basket(USERS[CUSTOMER], product_id), None, CUSTOMER)[0]
                != 200
            ):
                if time.monotonic() > deadline:
                    raise RuntimeError("the benchmark's product did not reach the basket's catalogue")
                time.sleep(0.05)
            self.shared["on_sale"] = product_id
        return self.shared["on_sale"]

    def basket(self) -> str:
        """The customer's basket, filled (again)."""
        self.call(Request("POST", "/basket", basket(USERS[CUSTOMER], self.on_sale())), 200)
        return USERS[CUSTOMER]

    def checkout(self) -> Request:
        """The customer's checkout, of a filled basket."""
        self.basket()
        return Request("POST", "/basket/checkout", DETAILS)

    def check_out(self) -> str:
        return self.call(self.checkout(), 202)["checkoutId"]

    def has_order(self, order_id: str) -> bool:
        newest = self.call(Request("GET", f"/order/{USERS[CUSTOMER]}", query={"limit": "1"}), 200)["items"]
        return bool(newest) and newest[0]["orderId"] == order_id

    def buyer(self) -> str:
        """The customer, with at least one order (the local cloud's order consumer makes it)."""
        if "buyer" not in self.shared:
            order_id = self.check_out()
            deadline = time.monotonic() + 30
            while not self.has_order(order_id):
                if time.monotonic() > deadline:
                    raise RuntimeError("the benchmark's order did not appear")
                time.sleep(0.01)
            self.shared["buyer"] = USERS[CUSTOMER]
        return self.shared["buyer"]


DETAILS = {
    "firstName": "Bench",
    "lastName": "Mark",
    "email": "bench@example.com",
    "address": "1 Bench Street",
    "paymentMethod": "card",
}


def basket(user: str, product_id: str) -> dict[str, Any]:
    """A basket of one line, sent with the price the client showed (the catalogue's)."""
    return {"userName": user, "items": [{"productId": product_id, "quantity": 2, "price": 9.5}]}


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    resource: str
    status: int  # the expected answer
    prepare: Callable[[Fixtures], Request]
    customer: bool = True  # False: only operators call it (lists of everyone's data)
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.method} {self.resource}{self.label}"


PRODUCT, BASKET, ORDER_API = system.name("product"), system.name("basket"), system.name("order", "api")
BASELINE = system.name("baseline")

ROUTES = (
    Route(BASELINE, "GET", "/baseline", 200, lambda f: Request("GET", "/baseline", caller=PUBLIC)),
    Route(
        PRODUCT,
        "POST",
        "/product",
        201,
        lambda f: Request("POST", "/product", {"name": "b", "category": "bench", "price": 1}, caller=ADMIN),
    ),
    Route(PRODUCT, "GET", "/product", 200, lambda f: Request("GET", "/product", caller=PUBLIC)),
    Route(
        PRODUCT,
        "GET",
        "/product",
        200,
        lambda f: Request("GET", "/product", query={"category": "bench"}, caller=PUBLIC),
        label="?category",
    ),
    Route(
        PRODUCT,
        "GET",
        "/product/{id}",
        200,
        lambda f: Request("GET", f"/product/{f.product()}", caller=PUBLIC),
    ),
    Route(
        PRODUCT,
        "PUT",
        "/product/{id}",
        200,
        lambda f: Request("PUT", f"/product/{f.product()}", {"price": 2}, caller=ADMIN),
    ),
    Route(
        PRODUCT,
        "DELETE",
        "/product/{id}",
        204,
        lambda f: Request("DELETE", f"/product/{f.new_product()}", caller=ADMIN),
    ),
    Route(
        BASKET,
        "POST",
        "/basket",
        200,
        lambda f: Request("POST", "/basket", basket(USERS[CUSTOMER], f.on_sale())),
    ),
    Route(BASKET, "GET", "/basket/{userName}", 200, lambda f: Request("GET", f"/basket/{f.basket()}")),
    Route(BASKET, "GET", "/basket", 200, lambda f: Request("GET", "/basket", caller=ADMIN), customer=False),
    Route(BASKET, "DELETE", "/basket/{userName}", 204, lambda f: Request("DELETE", f"/basket/{f.basket()}")),
    Route(
        BASKET,
        "POST",
        "/basket/checkout",
        202,
        lambda f: f.checkout(),
    ),
    Route(ORDER_API, "GET", "/order", 200, lambda f: Request("GET", "/order", caller=ADMIN), customer=False),
    Route(ORDER_API, "GET", "/order/{userName}", 200, lambda f: Request("GET", f"/order/{f.buyer()}")),
)
# Routes that return a page of a list: each must read one page, with one call.
LIST_ROUTES = {"GET /product", "GET /product?category", "GET /basket", "GET /order", "GET /order/{userName}"}
