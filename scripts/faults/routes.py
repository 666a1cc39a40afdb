"""Every route of every service (and the order consumer), as a fault case calls it."""

from collections.abc import Callable
from dataclasses import dataclass

from scripts.faults.world import CHECKOUT, PRODUCT, USER, Answer, World, api, checkout_event, consume


@dataclass(frozen=True)
class Route:
    name: str
    services: tuple[str, ...]  # the AWS services it calls
    run: Callable[[World], Answer]


def _if_match(etag: str | None) -> dict[str, str]:
    return {"If-Match": etag or ""}


ROUTES = (
    Route("POST /product", ("dynamodb",), lambda w: api("product", "POST", "/product", PRODUCT)),
    Route("GET /product/{id}", ("dynamodb",), lambda w: api("product", "GET", f"/product/{w.product_id}")),
    Route("GET /product", ("dynamodb",), lambda w: api("product", "GET", "/product")),
    Route(
        "GET /product?category", ("dynamodb",), lambda w: api("product", "GET", "/product?category=phones")
    ),
    Route(
        "PUT /product/{id} If-Match",
        ("dynamodb",),
        lambda w: api("product", "PUT", f"/product/{w.product_id}", {"price": 11}, _if_match(w.product_etag)),
    ),
    Route(
        "DELETE /product/{id} If-Match",
        ("dynamodb",),
        lambda w: api("product", "DELETE", f"/product/{w.product_id}", headers=_if_match(w.product_etag)),
    ),
    Route("GET /basket/{userName}", ("dynamodb",), lambda w: api("basket", "GET", f"/basket/{USER}")),
    Route("GET /basket", ("dynamodb",), lambda w: api("basket", "GET", "/basket")),
    Route(
        "POST /basket If-Match",
        ("dynamodb",),
        lambda w: api("basket", "POST", "/basket", {"userName": USER, "items": []}, _if_match(w.basket_etag)),
    ),
    Route(
        "DELETE /basket/{userName} If-Match",
        ("dynamodb",),
        lambda w: api("basket", "DELETE", f"/basket/{USER}", headers=_if_match(w.basket_etag)),
    ),
    Route(
        "POST /basket/checkout",
        ("dynamodb", "events"),
        lambda w: api("basket", "POST", "/basket/checkout", CHECKOUT),
    ),
    Route("GET /order", ("dynamodb",), lambda w: api("order", "GET", "/order")),
    Route("GET /order/{userName}", ("dynamodb",), lambda w: api("order", "GET", f"/order/{USER}")),
    Route(
        "GET /order/{userName}/{orderId}",
        ("dynamodb",),
        lambda w: api("order", "GET", f"/order/{USER}/{w.order_id}"),
    ),
    Route("order consumer (1 record)", ("dynamodb",), lambda w: consume(checkout_event("ana"))),
)
