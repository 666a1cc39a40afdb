"""The product publisher: the product table's stream (on moto, written by the product API) becomes
ProductChanged and ProductDeleted on the bus; a record that fails is reported alone, by its
sequence number, so that Lambda retries from it."""

import json
from functools import partial

import boto3
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from tests import helpers
from tests.helpers import ADMIN, LambdaContext, captured_logs
from tests.product.conftest import TABLE

call = partial(helpers.call, caller=ADMIN)
PHONE = {
    "name": "IPhone X",
    "category": "Phone",
    "price": 950.5,
    "description": "A phone",
    "imageFile": "x.png",
}


def publish(publisher, event) -> list[str]:
    """The sequence numbers the publisher reports as failed."""
    response = publisher.lambda_handler(event, LambdaContext())
    return [failure["itemIdentifier"] for failure in response["batchItemFailures"]]


def sequences(event) -> list[str]:
    return [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]


def test_a_created_updated_and_deleted_product_becomes_three_events_in_order(
    handler, stream, publisher, bus_events
):
    _, product = call(handler, "POST", "/product", PHONE)
    call(handler, "PUT", f"/product/{product['id']}", {"price": 999})
    call(handler, "DELETE", f"/product/{product['id']}")
    event = stream.event()
    assert [r["eventName"] for r in event["Records"]] == ["INSERT", "MODIFY", "REMOVE"]
    assert publish(publisher, event) == []
    published = bus_events.all()
    assert [(e["source"], e["detail-type"]) for e in published] == [
        ("shop.product", "ProductChanged"),
        ("shop.product", "ProductChanged"),
        ("shop.product", "ProductDeleted"),
    ]
    assert published[0]["detail"] == {**product, "version": 1}
    assert published[1]["detail"] == {**product, "price": 999, "version": 2}
    assert published[2]["detail"] == {"id": product["id"], "version": 2}


def test_internal_attributes_stay_in_the_table(handler, stream, publisher, bus_events):
    call(handler, "POST", "/product", {"name": "Cable", "category": "Cables", "price": 1})
    publish(publisher, stream.event())
    (published,) = bus_events.all()
    assert set(published["detail"]) == {"id", "name", "description", "category", "price", "version"}


def test_an_entry_eventbridge_refuses_fails_only_its_record(
    handler, stream, publisher, bus_events, monkeypatch
):
    for name in ("a", "b", "c"):
        call(handler, "POST", "/product", {"name": name, "category": "x", "price": 1})
    event = stream.event()
    real = publisher.bus._client.put_events

    def refuse_the_second(Entries):
        answer = real(Entries=Entries)
        answer["Entries"][1] = {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}
        answer["FailedEntryCount"] = 1
        return answer

    monkeypatch.setattr(publisher.bus._client, "put_events", refuse_the_second)
    with captured_logs(publisher.logger) as logs:
        assert publish(publisher, event) == [sequences(event)[1]]
    assert "InternalFailure" in logs.getvalue()


def test_a_failed_call_fails_its_records_and_the_next_call_is_still_made(
    handler, stream, publisher, bus_events, monkeypatch
):
    for i in range(12):
        call(handler, "POST", "/product", {"name": f"p{i}", "category": "x", "price": 1})
    event = stream.event()
    real, calls = publisher.bus._client.put_events, []

    def first_call_times_out(Entries):
        calls.append(len(Entries))
        if len(calls) == 1:
            raise ReadTimeoutError(endpoint_url="https://events")
        return real(Entries=Entries)

    monkeypatch.setattr(publisher.bus._client, "put_events", first_call_times_out)
    assert publish(publisher, event) == sequences(event)[:10]
    assert calls == [10, 2] and len(bus_events.all()) == 2


def test_a_call_eventbridge_refuses_fails_its_records(handler, stream, publisher, bus_events, monkeypatch):
    call(handler, "POST", "/product", PHONE)
    event = stream.event()
    denied = ClientError({"Error": {"Code": "AccessDeniedException"}}, "PutEvents")
    monkeypatch.setattr(publisher.bus._client, "put_events", lambda **_: (_ for _ in ()).throw(denied))
    assert publish(publisher, event) == sequences(event)
    assert bus_events.all() == []


@pytest.mark.parametrize(
    "break_record",
    [
        lambda r: r["dynamodb"].pop("NewImage"),
        lambda r: r["dynamodb"]["NewImage"].update(price={"S": "free"}),
        lambda r: r.update(eventName="TRUNCATE"),
    ],
    ids=["no-image", "bad-price", "unknown-event"],
)
def test_a_record_that_makes_no_event_fails_alone(handler, stream, publisher, bus_events, break_record):
    for name in ("a", "b"):
        call(handler, "POST", "/product", {"name": name, "category": "x", "price": 1})
    event = stream.event()
    break_record(event["Records"][0])
    with captured_logs(publisher.logger) as logs:
        assert publish(publisher, event) == sequences(event)[:1]
    assert [e["detail"]["name"] for e in bus_events.all()] == ["b"]
    assert "makes no event" in logs.getvalue() and "free" not in logs.getvalue()


def test_a_remove_without_its_old_image_fails(handler, stream, publisher, bus_events):
    _, product = call(handler, "POST", "/product", PHONE)
    call(handler, "DELETE", f"/product/{product['id']}")
    event = stream.event()
    event["Records"][1]["dynamodb"].pop("OldImage")
    assert publish(publisher, event) == sequences(event)[1:]


def test_a_legacy_product_without_a_version_is_version_0(stream, publisher, bus_events):
    item = {"id": {"S": "legacy"}, "name": {"S": "Old"}, "category": {"S": "x"}, "price": {"N": "5"}}
    boto3.client("dynamodb").put_item(TableName=TABLE, Item=item)
    assert publish(publisher, stream.event()) == []
    assert bus_events.all()[0]["detail"]["version"] == 0


def test_each_entry_carries_the_trace_header(handler, stream, publisher, bus_events, monkeypatch):
    call(handler, "POST", "/product", PHONE)
    event = stream.event()
    entries = []
    real = publisher.bus._client.put_events
    monkeypatch.setattr(
        publisher.bus._client, "put_events", lambda Entries: entries.extend(Entries) or real(Entries=Entries)
    )
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-6b000000-aaaaaaaaaaaaaaaaaaaaaaaa;Parent=1;Sampled=1")
    publish(publisher, event)
    assert entries[0]["TraceHeader"].startswith("Root=1-6b000000")
    assert json.loads(entries[0]["Detail"])["version"] == 1
