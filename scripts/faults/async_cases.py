"""The product events' two asynchronous functions, each under each fault of the AWS service it
calls, then every event delivered on to the catalogue replica.

- The product publisher (PutEvents) under each EventBridge fault, and a death right after its
  PutEvents: the world's product is updated and deleted, so the stream holds C1 C2 D2; Lambda
  polls it once and invokes the publisher (the first invocation meets the fault), retrying as
  it does until every record succeeded; then the consumer gets every event on the bus.
- The replica consumer (PutItem) under each DynamoDB fault: the bus carries C2 C1 C2 of p1,
  which the replica holds at version 1 (an update, a stale event, a repeated one); the first
  delivery meets the fault, and SQS delivers the records that failed again.
"""

from dataclasses import dataclass

from scripts.faults.catalogue import BUS_PUBLISHED_CRASH, DYNAMODB_FAULTS, EVENTS_FAULTS, NO_FAULT, Fault
from scripts.faults.invocations import Invocation
from scripts.faults.product_events import ProductEvents
from scripts.faults.world import PRODUCT, api, fresh_world

PUBLISHER_FAULTS = (NO_FAULT, *EVENTS_FAULTS, BUS_PUBLISHED_CRASH)
CONSUMER_FAULTS = (NO_FAULT, *DYNAMODB_FAULTS)
# The consumer's batch: p1's events, as the product publisher would publish them.
P1 = {"id": "p1", "name": "Phone", "description": "", "category": PRODUCT["category"]}
CONSUMER_BATCH = (
    {**P1, "price": 11, "version": 2},
    {**P1, "price": 10, "version": 1},
    {**P1, "price": 11, "version": 2},
)


@dataclass(frozen=True)
class PathOutcome:
    function: str  # "publisher" or "consumer": the function under the fault
    fault: str
    invocations: tuple[Invocation, ...]  # the publisher's, or the consumer's deliveries
    deliveries: tuple[Invocation, ...]  # the consumer's, after the publisher's case
    replica: str  # the product's entry in the replica afterwards
    latest: str  # the product's last write: what the replica must hold
    applied: int  # the consumer's CatalogueReplicaUpdates
    ignored: int  # its StaleProductEventsIgnored


def run_publisher_case(fault: Fault) -> PathOutcome:
    """The publisher's first invocation under `fault`, on a fresh moto."""
    with fresh_world() as world:
        path = ProductEvents(world)
        update = api("product", "PUT", f"/product/{world.product_id}", {"price": 11})
        api("product", "DELETE", f"/product/{world.product_id}", headers={"If-Match": update.etag or ""})
        invocations = path.publish([fault])
        deliveries = path.deliver()
        return PathOutcome(
            "publisher",
            fault.name,
            tuple(invocations),
            tuple(deliveries),
            path.replica(world.product_id),
            path.latest(world.product_id),
            path.updates["applied"],
            path.updates["ignored"],
        )


def run_consumer_case(fault: Fault) -> PathOutcome:
    """The consumer's first delivery under `fault`, on a fresh moto."""
    with fresh_world() as world:
        path = ProductEvents(world)
        for detail in CONSUMER_BATCH:
            path.put("ProductChanged", detail)
        deliveries = path.deliver([fault])
        return PathOutcome(
            "consumer",
            fault.name,
            tuple(deliveries),
            (),
            path.replica("p1"),
            "v2 at 11",  # p1's last version on the bus
            path.updates["applied"],
            path.updates["ignored"],
        )


def async_cases() -> list[PathOutcome]:
    return [run_publisher_case(f) for f in PUBLISHER_FAULTS] + [run_consumer_case(f) for f in CONSUMER_FAULTS]
