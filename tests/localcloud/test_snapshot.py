"""Snapshots of the embedded AWS, in process: what a restart must find again, the gate that keeps
a snapshot from seeing a request half done, and provisioning over a restored state."""

import json
import threading

import pytest
from moto.core.base_backend import BackendDict

from scripts.localcloud import system
from scripts.localcloud.aws import snapshot
from scripts.localcloud.aws.gate import GATE
from scripts.localcloud.aws.resources import provision, table_request
from scripts.localcloud.aws.server import EmbeddedAws
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer
from scripts.localcloud.persistence import Persistence
from scripts.token import id_token


@pytest.fixture
def aws():
    BackendDict.reset()
    embedded = EmbeddedAws()
    embedded.start()
    yield embedded
    embedded.stop()
    BackendDict.reset()


def queue_counts(aws: EmbeddedAws, queue: str) -> tuple[str, str]:
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]


def test_a_snapshot_brings_back_items_messages_in_flight_users_and_their_tokens(aws, tmp_path):
    pool = provision(aws.endpoint, system.SERVICES)[system.USER_POOL]
    token = id_token(aws.endpoint, "alice")
    aws.client("dynamodb").put_item(
        TableName=system.name("product"), Item={"id": {"S": "p1"}, "name": {"S": "x"}}
    )
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=system.ORDER_QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="waiting")
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    assert (
        len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=600)["Messages"]) == 1
    )
    path = tmp_path / "aws-state.pickle"
    snapshot.write(path, snapshot.dumps())
    aws.stop()
    BackendDict.reset()

    saved = snapshot.load(path)
    assert saved["moto"] == snapshot.versions()["moto"]
    again = EmbeddedAws()
    again.start()
    try:
        warnings = []
        assert provision(again.endpoint, system.SERVICES, warn=warnings.append)[system.USER_POOL] == pool
        assert warnings == []
        items = again.client("dynamodb").scan(TableName=system.name("product"))["Items"]
        assert items == [{"id": {"S": "p1"}, "name": {"S": "x"}}]
        assert queue_counts(again, system.ORDER_QUEUE) == ("1", "1")
        authorizer = CognitoAuthorizer(
            system.REGION, pool.id, [pool.client_id], f"{again.endpoint}/{pool.id}/.well-known/jwks.json"
        )
        assert authorizer.claims(token)["cognito:username"] == "alice"  # issued before the restart
        assert authorizer.claims(id_token(again.endpoint, "alice"))["cognito:username"] == "alice"
    finally:
        again.stop()


def test_a_snapshot_of_another_moto_is_set_aside_and_the_state_starts_empty(tmp_path):
    path = tmp_path / "aws-state.pickle"
    path.write_bytes(json.dumps(snapshot.versions() | {"moto": "0.0.1"}).encode() + b"\n" + b"whatever")
    with pytest.raises(snapshot.Unreadable, match=r"moto 0\.0\.1"):
        snapshot.load(path)
    said = Persistence(tmp_path, console=lambda _: None).restore()
    assert said.startswith("empty: the saved state was written by moto 0.0.1")
    assert not path.exists() and len(list(tmp_path.glob("aws-state.pickle.*.unreadable"))) == 1


def test_fresh_deletes_the_saved_state_and_says_so(tmp_path):
    (tmp_path / "aws-state.pickle").write_bytes(b"saved")
    assert (
        Persistence(tmp_path, fresh=True).restore().startswith("empty, as asked (FRESH=1): the saved state")
    )
    assert not (tmp_path / "aws-state.pickle").exists()
    assert Persistence(tmp_path).restore().startswith("empty: nothing saved yet")


def test_a_snapshot_waits_for_the_request_being_served(aws):
    served, release = threading.Event(), threading.Event()
    order = []

    def request():
        with GATE.request():
            served.set()
            release.wait(10)
            order.append("request")

    serving = threading.Thread(target=request)
    serving.start()
    served.wait(10)
    taking = threading.Thread(target=lambda: (snapshot.dumps(), order.append("snapshot")))
    taking.start()
    release.set()
    serving.join(10)
    taking.join(10)
    assert order == ["request", "snapshot"]


def test_a_long_poll_does_not_hold_a_snapshot_back(aws):
    provision(aws.endpoint, system.SERVICES)
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=system.ORDER_QUEUE)["QueueUrl"]
    polling = threading.Thread(target=lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3))
    polling.start()
    try:
        snapshot.dumps()
        assert polling.is_alive()  # the snapshot was taken while the poll went on waiting
    finally:
        polling.join(10)


def test_provisioning_names_a_table_saved_with_other_keys(aws):
    aws.client("dynamodb").create_table(
        TableName=system.name("basket"),
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "owner", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "owner", "AttributeType": "S"}],
    )
    warnings = []
    provision(aws.endpoint, system.SERVICES, warn=warnings.append)
    assert len(warnings) == 1 and warnings[0].startswith(
        f"table {system.name('basket')} was saved with the key"
    )
    assert "make reset" in warnings[0]


def test_provisioning_enables_the_declared_stream_on_a_table_saved_without_it(aws):
    """A state saved before the product table had its stream: the stream is added in place, the
    items stay, and the next write is in the stream (the publisher's mapping reads it)."""
    table = system.PRODUCT.tables[0]
    dynamodb = aws.client("dynamodb")
    request = table_request(table)
    del request["StreamSpecification"]
    dynamodb.create_table(**request)
    dynamodb.put_item(TableName=table.name, Item={"id": {"S": "old"}, "name": {"S": "Old"}})
    warnings = []
    provision(aws.endpoint, system.SERVICES, warn=warnings.append)
    assert warnings == []
    described = dynamodb.describe_table(TableName=table.name)["Table"]
    assert described["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": table.stream}
    assert dynamodb.get_item(TableName=table.name, Key={"id": {"S": "old"}})["Item"]["name"] == {"S": "Old"}
    dynamodb.put_item(TableName=table.name, Item={"id": {"S": "new"}, "name": {"S": "New"}})
    streams = aws.client("dynamodbstreams")
    (shard,) = streams.describe_stream(StreamArn=described["LatestStreamArn"])["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=described["LatestStreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["new"]


def test_provisioning_names_a_stream_saved_with_another_view_type(aws):
    table = system.PRODUCT.tables[0]
    request = table_request(table)
    request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    aws.client("dynamodb").create_table(**request)
    warnings = []
    provision(aws.endpoint, system.SERVICES, warn=warnings.append)
    assert warnings == [
        f"table {table.name} was saved with the stream KEYS_ONLY, which system.py no longer declares: "
        "`make reset` starts over"
    ]
