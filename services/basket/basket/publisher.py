"""Publishes CheckoutBasket events on the shared EventBridge bus."""

import os
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from basket.models import CHECKOUT_DETAIL_TYPE, EVENT_SOURCE, CheckoutBasket
from shop_common.errors import UnavailableError
from shop_common.tracing import step

_UNAVAILABLE = "The checkout could not be sent; the basket is kept as it was. Retry the checkout"


class PublishError(UnavailableError):
    def __init__(self, reason: str):
        super().__init__(_UNAVAILABLE)
        self.reason = reason  # for logs; not shown to clients


class EventPublisher:
    def __init__(self, client: Any, bus_name: str):
        self._client = client
        self._bus = bus_name

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
        try:
            response = self._client.put_events(Entries=[entry])
        except (BotoCoreError, ClientError) as error:
            raise PublishError(repr(error)) from error
        if response.get("FailedEntryCount", 0):
            failed = response["Entries"][0]
            raise PublishError(f"{failed.get('ErrorCode')}: {failed.get('ErrorMessage')}")
