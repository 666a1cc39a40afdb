"""Where moto's server differs from AWS in ways the services rely on, made to behave as AWS.

Applied once per process, before the embedded AWS serves (server.py).
"""

import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.events.models import EventsBackend
from moto.sqs.models import SQSBackend


def apply() -> None:
    propagate_trace_headers()
    complete_event_envelopes()
    atomic_dynamodb_requests()


_delivery = threading.local()


def propagate_trace_headers() -> None:
    """Makes moto carry PutEvents' TraceHeader to SQS targets as AWSTraceHeader, as AWS does.

    moto 5.2 drops the header. PutEvents entries are handed to moto one at a time, and each
    SQS message sent while an entry is being delivered gets that entry's header.
    """
    if getattr(EventsBackend.put_events, "_propagates_trace_headers", False):
        return
    put_events, send_message = EventsBackend.put_events, SQSBackend.send_message

    def put_events_with_trace(self: EventsBackend, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        entries = []
        for event in events:
            _delivery.trace_header = event.get("TraceHeader")
            try:
                entries += put_events(self, [event])
            finally:
                _delivery.trace_header = None
        return entries

    def send_message_with_trace(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
        header = getattr(_delivery, "trace_header", None)
        if header and not kwargs.get("system_attributes"):
            kwargs["system_attributes"] = {"AWSTraceHeader": {"StringValue": header, "DataType": "String"}}
        return send_message(self, *args, **kwargs)

    put_events_with_trace._propagates_trace_headers = True  # type: ignore[attr-defined]
    EventsBackend.put_events = put_events_with_trace  # type: ignore[method-assign]
    SQSBackend.send_message = send_message_with_trace  # type: ignore[method-assign]


def complete_event_envelopes() -> None:
    """Makes moto deliver events to targets with their `account`, as EventBridge does.

    moto 5.2's default input template (a target without an InputTransformer) leaves `account`
    out, which the event contracts require. Also for the tools that run moto in process.
    """
    from moto.events.utils import EventTemplateParser

    template = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
    if '"account"' not in template:
        EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = template.replace(
            '"version": "0",', '"version": "0", "account": "<account>",', 1
        )


_dynamodb_lock = threading.Lock()


def atomic_dynamodb_requests() -> None:
    """Makes moto's DynamoDB carry out one request at a time.

    DynamoDB makes each item operation atomic: a conditional write checks and writes as one step,
    and a read sees an item before or after a write, never halfway. moto's server handles requests
    on many threads with no lock, so two concurrent writes conditional on the same version could
    both pass, a lost update DynamoDB itself never allows (tests/localcloud/test_embedded_aws.py).
    """
    if getattr(DynamoHandler.call_action, "_atomic", False):
        return
    call_action = DynamoHandler.call_action

    def atomic_call_action(self: DynamoHandler) -> Any:
        with _dynamodb_lock:
            return call_action(self)

    atomic_call_action._atomic = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = atomic_call_action  # type: ignore[method-assign]
