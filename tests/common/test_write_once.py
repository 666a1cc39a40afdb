"""write_once on moto: a conditional write that tells its own lost answer from a real conflict."""

import boto3
import pytest
from moto import mock_aws

from scripts import faults
from shop_common import clients
from shop_common.dynamo import WRITE_ID, ConditionFailed, new_write_id, put_once, to_item, write_once

TABLE = "things"
LOST = faults.LOST_ANSWER  # applied, then its answer lost (once per call)


@pytest.fixture
def client():
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield clients.client("dynamodb")  # the services' client: the SDK retries as in Lambda


def put_new(client, thing_id: str, write: str) -> dict:
    return write_once(
        client.put_item,
        "store",
        (WRITE_ID, write),
        TableName=TABLE,
        Item=to_item({"id": thing_id, "size": 1, WRITE_ID: write}),
        ConditionExpression="attribute_not_exists(#id)",
        ExpressionAttributeNames={"#id": "id"},
    )


def renumber(client, thing_id: str, size: int, revision: str, expected: str | None) -> dict:
    """Sets the size and a new revision, if the revision is `expected` (None: the item has none)."""
    condition = "attribute_not_exists(#revision)" if expected is None else "#revision = :expected"
    return write_once(
        client.update_item,
        "store",
        ("revision", revision),
        TableName=TABLE,
        Key={"id": {"S": thing_id}},
        UpdateExpression="SET #size = :size, #revision = :revision",
        ConditionExpression=f"attribute_exists(#id) AND {condition}",
        ExpressionAttributeNames={"#id": "id", "#size": "size", "#revision": "revision"},
        ExpressionAttributeValues={
            ":size": {"N": str(size)},
            ":revision": {"S": revision},
            ":expected": {"S": expected or ""},
        },
        ReturnValues="ALL_NEW",
    )


def test_a_put_returns_the_item_it_put(client):
    write = new_write_id()
    assert put_new(client, "a", write) == {"id": "a", "size": 1, WRITE_ID: write}


def test_a_put_whose_answer_was_lost_is_answered_as_done(client):
    write = new_write_id()
    with faults.injected(LOST) as injector:
        written = put_new(client, "a", write)
    assert injector.attempts == 2  # the retry's condition failed: the first attempt had put it
    assert written == {"id": "a", "size": 1, WRITE_ID: write}


def test_a_put_that_meets_another_write_fails_with_that_write(client):
    first = new_write_id()
    put_new(client, "a", first)
    with pytest.raises(ConditionFailed) as caught:
        put_new(client, "a", new_write_id())
    assert caught.value.item[WRITE_ID] == first


def test_an_update_returns_the_item_as_written(client):
    put_new(client, "a", new_write_id())
    assert renumber(client, "a", 2, "r1", None)["size"] == 2


def test_an_update_whose_answer_was_lost_is_answered_as_done(client):
    put_new(client, "a", new_write_id())
    with faults.injected(LOST) as injector:
        written = renumber(client, "a", 2, "r1", None)
    assert injector.attempts == 2 and (written["size"], written["revision"]) == (2, "r1")


def test_an_update_that_meets_another_write_fails(client):
    put_new(client, "a", new_write_id())
    renumber(client, "a", 2, "r1", None)
    with pytest.raises(ConditionFailed) as caught:
        renumber(client, "a", 3, "r2", None)  # read before r1 was written: stale
    assert caught.value.item["revision"] == "r1"
    with pytest.raises(ConditionFailed) as caught:
        renumber(client, "b", 3, "r2", None)
    assert caught.value.item is None


def test_put_once_marks_its_item_with_a_fresh_write_and_knows_its_lost_answer(client):
    # GIVEN a put of an item with no writeId of its own, whose answer is lost
    condition = {
        "ConditionExpression": "attribute_not_exists(#id)",
        "ExpressionAttributeNames": {"#id": "id"},
    }
    with faults.injected(LOST) as injector:
        written = put_once(client.put_item, "store", TABLE, {"id": "a", "size": 1}, **condition)
    # THEN the retry's failed condition is recognised as this put, which stored a fresh mark
    assert injector.attempts == 2 and written["size"] == 1 and len(written[WRITE_ID]) == 32
    # AND another put of the same id meets that write
    with pytest.raises(ConditionFailed) as caught:
        put_once(client.put_item, "store", TABLE, {"id": "a", "size": 2}, **condition)
    assert caught.value.item[WRITE_ID] == written[WRITE_ID]
