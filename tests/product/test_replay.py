"""`make replay-catalogue` (scripts/replay_catalogue.py) on moto: every product comes through the
stream again at the version it has, and nothing else changes."""

import boto3

from scripts import backfill_catalogue, replay_catalogue
from scripts.replay_catalogue import replay
from tests.helpers import ADMIN, answer, call
from tests.product.conftest import TABLE
from tests.product.test_stream import publish


def make(handler, name: str) -> str:
    return call(handler, "POST", "/product", {"name": name, "category": "x", "price": 1}, caller=ADMIN)[1][
        "id"
    ]


def test_every_product_is_republished_at_its_version(handler, stream, publisher, bus_events):
    kept, updated, deleted = (make(handler, name) for name in ("kept", "updated", "deleted"))
    call(handler, "PUT", f"/product/{updated}", {"price": 2}, caller=ADMIN)
    call(handler, "DELETE", f"/product/{deleted}", caller=ADMIN)
    publish(publisher, stream.event())
    before = bus_events.all()
    etag = answer(handler, "GET", f"/product/{updated}").headers["ETag"]

    assert replay(boto3.client("dynamodb"), TABLE) == 2
    event = stream.event()
    assert [r["eventName"] for r in event["Records"]] == ["MODIFY", "MODIFY"]
    assert publish(publisher, event) == []
    republished = bus_events.all()[len(before) :]
    assert sorted(
        (e["detail-type"], e["detail"]["id"], e["detail"]["version"]) for e in republished
    ) == sorted([("ProductChanged", kept, 1), ("ProductChanged", updated, 2)])
    assert answer(handler, "GET", f"/product/{updated}").headers["ETag"] == etag  # clients' ETags hold
    assert call(handler, "GET", f"/product/{deleted}")[0] == 404


def test_a_product_deleted_meanwhile_is_not_made_again(aws, monkeypatch):
    client = boto3.client("dynamodb")
    real = client.get_paginator

    class Pages:
        def paginate(self, **_):
            return [{"Items": [{"id": {"S": "gone"}}]}]

    monkeypatch.setattr(client, "get_paginator", lambda name: Pages() if name == "scan" else real(name))
    assert replay(client, TABLE) == 0
    assert "Item" not in client.get_item(TableName=TABLE, Key={"id": {"S": "gone"}})


def test_both_catalogue_commands_need_a_table_or_a_running_local_cloud(tmp_path, capsys):
    for command in (replay_catalogue, backfill_catalogue):
        assert command.main(["--state-dir", str(tmp_path)]) == 1
        assert "No local cloud found" in capsys.readouterr().out


def test_another_endpoint_without_its_table_is_refused(tmp_path, capsys):
    for command in (replay_catalogue, backfill_catalogue):
        assert command.main(["--endpoint-url", "http://127.0.0.1:1", "--state-dir", str(tmp_path)]) == 1
        assert "--endpoint-url needs a TABLE" in capsys.readouterr().out
