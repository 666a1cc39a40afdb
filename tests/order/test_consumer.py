"""The order consumer on moto: exactly one order per checkout, partial batch failures."""

import copy

import boto3
from botocore.exceptions import ClientError

from scripts import faults
from tests.helpers import LambdaContext, captured_logs
from tests.order.conftest import TABLE, checkout_event, sqs_event


def orders_in_table() -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=TABLE)["Items"]


def handle(consumer, event) -> list[str]:
    return [f["itemIdentifier"] for f in consumer.lambda_handler(event, LambdaContext())["batchItemFailures"]]


def test_each_checkout_becomes_one_order(consumer):
    events = [checkout_event(), checkout_event(user="ana")]
    assert handle(consumer, sqs_event(*events)) == []
    stored = {item["orderId"]["S"]: item for item in orders_in_table()}
    assert set(stored) == {e["detail"]["checkoutId"] for e in events}


def test_the_same_event_delivered_three_times_makes_one_order(consumer, capsys):
    event = checkout_event()
    assert handle(consumer, sqs_event(event, event)) == []
    assert handle(consumer, sqs_event(event)) == []
    assert len(orders_in_table()) == 1
    assert capsys.readouterr().out.count('"DuplicateDeliveriesIgnored":[1.0]') == 2


def test_two_checkouts_of_one_user_in_the_same_millisecond_are_two_orders(consumer):
    assert handle(consumer, sqs_event(checkout_event(), checkout_event())) == []
    assert len(orders_in_table()) == 2


def test_a_poison_record_fails_alone(consumer, capsys):
    good, other = checkout_event(), checkout_event(user="ana")
    event = sqs_event(good, "not json", {**good, "detail": {**good["detail"], "checkoutId": "x"}}, other)
    poison = [r["messageId"] for r in event["Records"][1:3]]
    with captured_logs(consumer.logger) as logs:
        assert handle(consumer, event) == poison
    assert len(orders_in_table()) == 2
    assert '"BatchItemFailures":[2.0]' in capsys.readouterr().out
    assert logs.getvalue().count("Rejected record") == 2
    assert "detail.checkoutId" in logs.getvalue() and "Mehmet" not in logs.getvalue()


def test_a_rejected_record_does_not_carry_the_previous_records_correlation_id(consumer):
    handle(consumer, sqs_event(checkout_event(), "not json"))
    assert consumer.logger.get_correlation_id() is None  # what the rejected record logged with


def test_a_record_whose_total_is_wrong_fails(consumer):
    event = sqs_event(checkout_event(totalPrice=1))
    assert handle(consumer, event) == [event["Records"][0]["messageId"]]
    assert orders_in_table() == []


def test_a_whole_failed_batch_is_a_partial_response_not_a_function_error(consumer):
    event = sqs_event("{}", "[]")
    assert len(handle(consumer, event)) == 2


def test_a_dynamodb_error_fails_only_that_record(consumer, monkeypatch):
    real_put = consumer.repository._client.put_item
    events = [checkout_event(), checkout_event(user="ana"), checkout_event(user="bob")]

    def put_item(**request):
        if request["Item"]["userName"]["S"] == "ana":
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "PutItem")
        return real_put(**request)

    monkeypatch.setattr(consumer.repository._client, "put_item", put_item)
    event = sqs_event(*events)
    assert handle(consumer, event) == [event["Records"][1]["messageId"]]
    assert {i["userName"]["S"] for i in orders_in_table()} == {"swn", "bob"}


def test_unknown_fields_are_ignored(consumer):
    event = checkout_event()
    event["detail"]["loyaltyPoints"] = 12
    event["detail"]["items"][0]["giftWrap"] = True
    event["newEnvelopeField"] = "x"
    assert handle(consumer, sqs_event(event)) == []
    assert len(orders_in_table()) == 1


class ShrinkingTime(LambdaContext):
    """A context whose remaining time drops to `left_ms` once the first record has been read."""

    def __init__(self, left_ms: int):
        super().__init__()
        self.reads, self.left_ms = 0, left_ms

    def get_remaining_time_in_millis(self) -> int:
        self.reads += 1
        return 30_000 if self.reads == 1 else self.left_ms


def test_a_record_without_time_left_for_its_write_comes_back_later(consumer):
    """A slow table must not run the function into its timeout, which would fail the whole batch."""
    event = sqs_event(checkout_event(), checkout_event(user="ana"))
    context = ShrinkingTime(left_ms=consumer.TIME_NEEDED_MS - 1)
    with captured_logs(consumer.logger) as logs:
        response = consumer.lambda_handler(event, context)
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == [event["Records"][1]["messageId"]]
    assert [i["userName"]["S"] for i in orders_in_table()] == ["swn"]
    assert "Too little time left" in logs.getvalue()


# One order per checkoutId, even for two different events of one checkout (issue 12).


def test_another_event_of_a_checkout_that_made_an_order_makes_no_second_order(consumer, capsys):
    first = checkout_event(checked_out_at="2026-11-26T10:15:30.123Z")
    later = copy.deepcopy(first)
    later["id"] = "another-eventbridge-id"
    later["detail"]["checkedOutAt"] = "2026-11-26T10:15:31.456Z"  # a new event, as a retry once built
    assert handle(consumer, sqs_event(first)) == []
    with captured_logs(consumer.logger) as logs:
        event = sqs_event(later)
        # Refused: it comes back, then goes to the DLQ, whose alarm calls someone; never dropped.
        assert handle(consumer, event) == [event["Records"][0]["messageId"]]
    (order,) = orders_in_table()
    assert order["orderDate"]["S"] == "2026-11-26T10:15:30.123Z"
    assert "Conflicting checkout refused" in logs.getvalue() and "orderDate" in logs.getvalue()
    assert '"ConflictingCheckoutsRefused":[1.0]' in capsys.readouterr().out


def test_another_event_with_other_lines_is_refused_too(consumer):
    first = checkout_event()
    other = copy.deepcopy(first)
    other["detail"]["items"] = other["detail"]["items"][:1]
    other["detail"]["totalPrice"] = 1901.0
    assert handle(consumer, sqs_event(first)) == []
    assert len(handle(consumer, sqs_event(other))) == 1
    assert len(orders_in_table()) == 1


def test_a_write_whose_answer_was_lost_is_counted_as_created_once(consumer, capsys):
    event = checkout_event()
    with faults.injected(faults.LOST_ANSWER) as injector:
        assert handle(consumer, sqs_event(event)) == []
    assert injector.attempts == 2 and len(orders_in_table()) == 1
    assert '"OrdersCreated":[1.0]' in capsys.readouterr().out
