"""The catalogue replica on moto: events apply in version order, whatever order they come in, and
reads ask again for the keys DynamoDB left unprocessed."""

from decimal import Decimal

import boto3
import pytest

from basket import replica as replica_module
from basket.replica import CatalogueReplica
from shop_common.errors import UnavailableError
from tests.basket.conftest import CATALOGUE_TABLE


@pytest.fixture
def replica(aws):
    return CatalogueReplica(boto3.client("dynamodb"), CATALOGUE_TABLE)


def entry(replica, product_id="a"):
    return replica.entries([product_id]).get(product_id)


def change(replica, version, price="1.00", product_id="a"):
    return replica.apply_change(product_id, version, f"name v{version}", Decimal(price))


def test_a_product_is_stored_at_its_version(replica):
    assert change(replica, 1, "9.99")
    found = entry(replica)
    assert (found.version, found.name, found.price, found.on_sale) == (1, "name v1", Decimal("9.99"), True)


def test_a_stale_or_repeated_change_changes_nothing(replica):
    assert change(replica, 3, "3.00")
    assert not change(replica, 2, "2.00")  # late
    assert not change(replica, 3, "9.00")  # repeated (its version)
    assert (entry(replica).version, entry(replica).price) == (3, Decimal("3.00"))
    assert change(replica, 4, "4.00")


def test_changes_in_any_order_end_at_the_highest_version(replica):
    for version in (2, 5, 1, 4, 3):
        change(replica, version, f"{version}.00")
    assert (entry(replica).version, entry(replica).price) == (5, Decimal("5.00"))


def test_a_delete_leaves_a_tombstone_that_a_late_change_cannot_undo(replica):
    change(replica, 2)
    assert replica.apply_delete("a", 2)
    assert not change(replica, 1)
    assert not change(replica, 3)  # an id is never used again: nothing comes after its delete
    tombstone = entry(replica)
    assert tombstone.deleted and not tombstone.on_sale and tombstone.version == 2
    assert not replica.apply_delete("a", 2)  # repeated


def test_a_delete_before_its_product_still_wins(replica):
    assert replica.apply_delete("a", 4)
    assert not change(replica, 1) and not change(replica, 4)
    assert entry(replica).deleted


def test_a_stale_delete_changes_nothing(replica):
    change(replica, 5)
    assert not replica.apply_delete("a", 4)
    assert entry(replica).on_sale


@pytest.mark.parametrize(
    "write", [lambda r: change(r, 2), lambda r: r.apply_delete("a", 2)], ids=["change", "delete"]
)
def test_a_write_whose_answer_was_lost_counts_as_applied_once(replica, monkeypatch, write):
    change(replica, 1)
    real = replica._client.put_item

    def applied_then_retried(**request):
        real(**request)  # carried out; its answer lost, so the SDK sends the same request again
        return real(**request)

    monkeypatch.setattr(replica._client, "put_item", applied_then_retried)
    assert write(replica)  # applied (by the first attempt), not mistaken for a repeated event
    monkeypatch.undo()
    assert not write(replica)  # the same event delivered again: repeated
    assert entry(replica).version == 2


def test_unknown_products_are_absent(replica):
    change(replica, 1)
    assert set(replica.entries(["a", "b", "c"])) == {"a"}


def test_more_than_100_products_are_read_100_at_a_time(replica, monkeypatch):
    for i in range(150):
        change(replica, 1, product_id=f"p{i}")
    calls = []
    real = replica._client.batch_get_item
    monkeypatch.setattr(replica._client, "batch_get_item", lambda **kw: calls.append(kw) or real(**kw))
    assert len(replica.entries([f"p{i}" for i in range(150)])) == 150 and len(calls) == 2


def test_unprocessed_keys_are_asked_again(replica, monkeypatch):
    change(replica, 1, product_id="a")
    change(replica, 1, product_id="b")
    real = replica._client.batch_get_item
    requests = []

    def throttled_once(RequestItems):
        requests.append(RequestItems)
        if len(requests) > 1:
            return real(RequestItems=RequestItems)
        table = RequestItems[CATALOGUE_TABLE]
        read = real(RequestItems={CATALOGUE_TABLE: {**table, "Keys": table["Keys"][:1]}})
        read["UnprocessedKeys"] = {CATALOGUE_TABLE: {**table, "Keys": table["Keys"][1:]}}
        return read

    monkeypatch.setattr(replica._client, "batch_get_item", throttled_once)
    assert set(replica.entries(["a", "b"])) == {"a", "b"}
    assert [len(r[CATALOGUE_TABLE]["Keys"]) for r in requests] == [2, 1]


def test_keys_left_unprocessed_every_time_are_a_503(replica, monkeypatch):
    change(replica, 1)
    never = {"Responses": {}, "UnprocessedKeys": {CATALOGUE_TABLE: {"Keys": [{"productId": {"S": "a"}}]}}}
    calls = []
    monkeypatch.setattr(replica._client, "batch_get_item", lambda **kw: calls.append(kw) or never)
    with pytest.raises(UnavailableError, match="retry later"):
        replica.entries(["a"])
    assert len(calls) == 3  # the read, and two more


def test_a_slow_partial_answer_is_not_asked_again(replica, monkeypatch):
    change(replica, 1)
    never = {"Responses": {}, "UnprocessedKeys": {CATALOGUE_TABLE: {"Keys": [{"productId": {"S": "a"}}]}}}
    calls = []
    monkeypatch.setattr(replica_module, "RETRY_WITHIN", -1)  # every answer took too long
    monkeypatch.setattr(replica._client, "batch_get_item", lambda **kw: calls.append(kw) or never)
    with pytest.raises(UnavailableError):
        replica.entries(["a"])
    assert len(calls) == 1
