"""Publishes CheckoutBasket events on the shared EventBridge bus."""

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
        except ClientError as error:
            # A 4xx answer refused the request; after a 5xx the event may have been taken.
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
            raise PublishError(repr(error), certain=400 <= status < 500) from error
        except BotoCoreError as error:  # no answer: the event may have been taken
            raise PublishError(repr(error), certain=False) from error
        if response.get("FailedEntryCount", 0):
            failed = response["Entries"][0]
            raise PublishError(f"{failed.get('ErrorCode')}: {failed.get('ErrorMessage')}", certain=True)
