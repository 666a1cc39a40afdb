"""Publishes CheckoutBasket events on the shared EventBridge bus.

A failed publication is `certain` only when EventBridge certainly did not take the event: every
try of the call (the SDK retries throttling, 5xx and timeouts) got an answer, and each answer
refused it (a 4xx, or an entry that failed). A try without an answer (a timeout, a dropped
connection) or with a 5xx may have put the event on the bus, whatever the later tries got: a
timeout followed by a throttled retry is not a refusal.
"""

import os
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from basket.checkout import PublishError
from basket.models import CHECKOUT_DETAIL_TYPE, EVENT_SOURCE, CheckoutBasket
from shop_common.tracing import step


class EventPublisher:
    def __init__(self, client: Any, bus_name: str):
        self._client = client
        self._bus = bus_name
        self._maybe_taken = False  # by a try of the current call (Lambda runs one call at a time)
        self._listening = False

    def _listen(self) -> None:
        """botocore emits needs-retry after every try, the last one too, with its answer or error.
        Registered at the first publication: the client may be made only then (clients.LazyClient)."""
        if not self._listening:
            self._client.meta.events.register("needs-retry.eventbridge.PutEvents", self._note_try)
            self._listening = True

    def _note_try(self, response: Any = None, caught_exception: Any = None, **_: Any) -> None:
        status = response[0].status_code if response is not None else None
        if caught_exception is not None or status is None or status >= 500:
            self._maybe_taken = True

    @step
    def publish(self, checkout: CheckoutBasket) -> None:
        """Raises PublishError unless EventBridge accepted the event."""
        entry = {
            "EventBusName": self._bus,
            "Source": EVENT_SOURCE,
            "DetailType": CHECKOUT_DETAIL_TYPE,
            "Detail": checkout.model_dump_json(exclude_none=True),
        }
        # Lambda's trace header: EventBridge hands it on to SQS, linking the order to this request.
        trace_header = os.environ.get("_X_AMZN_TRACE_ID")
        if trace_header:
            entry["TraceHeader"] = trace_header
        self._listen()
        self._maybe_taken = False
        try:
            response = self._client.put_events(Entries=[entry])
        except ClientError as error:
            # A 4xx answer refused the request; after a 5xx the event may have been taken.
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
            refused = 400 <= status < 500 and not self._maybe_taken
            raise PublishError(repr(error), certain=refused) from error
        except BotoCoreError as error:  # no answer: the event may have been taken
            raise PublishError(repr(error), certain=False) from error
        if response.get("FailedEntryCount", 0):
            failed = response["Entries"][0]
            reason = f"{failed.get('ErrorCode')}: {failed.get('ErrorMessage')}"
            raise PublishError(reason, certain=not self._maybe_taken)
