"""The catalogue replica's consumer: product events from its queue, applied in version order;
a record that fails comes back alone, and a stale or repeated one is counted, not failed."""

import copy
import json
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from tests.helpers import LambdaContext, captured_logs, event_schema
from tests.order.conftest import sqs_event

CHANGED, DELETED = event_schema("ProductChanged"), event_schema("ProductDeleted")


def changed(version: int, price: float = 9.5, product_id: str = "a") -> dict:
    event = copy.deepcopy(CHANGED["examples"][0])
    event["detail"].update(id=product_id, version=version, price=price, name=f"name v{version}")
    return event


def deleted(version: int, product_id: str = "a") -> dict:
    event = copy.deepcopy(DELETED["examples"][0])
    event["detail"].update(id=product_id, version=version)
    return event


def consume(consumer, *bodies, remaining_ms: int = 30_000) -> list[int]:
    """The indexes of the records reported as failed."""
    event = sqs_event(*bodies)
    ids = [r["messageId"] for r in event["Records"]]
    response = consumer.lambda_handler(event, LambdaContext(remaining_ms=remaining_ms))
    return [ids.index(f["itemIdentifier"]) for f in response["batchItemFailures"]]


def stored(consumer, product_id: str = "a"):
    return consumer.replica.entries([product_id]).get(product_id)


def metrics_of(output: str) -> dict[str, float]:
    found = {}
    for line in output.splitlines():
        if line.startswith('{"_aws"'):
            document = json.loads(line)
            for metric in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
                found[metric["Name"]] = found.get(metric["Name"], 0) + sum(document[metric["Name"]])
    return found


def test_a_changed_product_is_stored_and_counted(replica_consumer, capsys):
    assert consume(replica_consumer, changed(1, 950.5)) == []
    entry = stored(replica_consumer)
    assert (entry.version, entry.name, entry.price) == (1, "name v1", Decimal("950.5"))
    assert metrics_of(capsys.readouterr().out)["CatalogueReplicaUpdates"] == 1


def test_stale_and_repeated_events_change_nothing_and_are_counted(replica_consumer, capsys):
    assert consume(replica_consumer, changed(2, 2.0), changed(1, 1.0), changed(2, 2.0)) == []
    assert (stored(replica_consumer).version, stored(replica_consumer).price) == (2, Decimal("2.0"))
    metrics = metrics_of(capsys.readouterr().out)
    assert metrics["CatalogueReplicaUpdates"] == 1 and metrics["StaleProductEventsIgnored"] == 2


def test_a_late_change_cannot_resurrect_a_deleted_product(replica_consumer):
    assert consume(replica_consumer, changed(1), deleted(2), changed(2)) == []
    assert consume(replica_consumer, changed(1)) == []
    assert stored(replica_consumer).deleted


def test_a_delete_delivered_before_the_product_still_wins(replica_consumer):
    assert consume(replica_consumer, deleted(3)) == []
    assert consume(replica_consumer, changed(1), changed(3)) == []
    assert stored(replica_consumer).deleted


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        {**changed(1), "source": "shop.basket"},  # only the product service speaks for products
        {**changed(1), "detail-type": "ProductRenamed"},
        {**changed(1), "detail": {k: v for k, v in changed(1)["detail"].items() if k != "price"}},
        {**changed(1), "detail": {**changed(1)["detail"], "price": -1}},
        {**deleted(1), "detail": {"id": "a", "version": "one"}},
    ],
    ids=["not-json", "other-source", "other-type", "no-price", "negative-price", "bad-version"],
)
def test_a_record_that_is_no_product_event_fails_alone_and_writes_nothing(replica_consumer, body):
    with captured_logs(replica_consumer.logger) as logs:
        assert consume(replica_consumer, changed(1, product_id="b"), body) == [1]
    assert stored(replica_consumer) is None and stored(replica_consumer, "b").version == 1
    assert "Rejected record" in logs.getvalue()


def test_a_failed_write_fails_its_record_for_redelivery(replica_consumer, monkeypatch):
    error = ClientError({"Error": {"Code": "ThrottlingException"}}, "PutItem")
    monkeypatch.setattr(
        replica_consumer.replica._client, "put_item", lambda **_: (_ for _ in ()).throw(error)
    )
    assert consume(replica_consumer, changed(1), deleted(1, "b")) == [0, 1]
    monkeypatch.undo()
    assert consume(replica_consumer, changed(1)) == [] and stored(replica_consumer).version == 1


def test_a_record_is_left_for_later_when_too_little_time_is_left(replica_consumer):
    assert consume(replica_consumer, changed(1), remaining_ms=5_000) == [0]
    assert stored(replica_consumer) is None
