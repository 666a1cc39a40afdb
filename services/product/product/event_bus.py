"""Publishes product events on the shared EventBridge bus, and says which ones it could not."""

import os
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from product.events import EVENT_SOURCE, ProductEvent
from shop_common.tracing import step

MAX_ENTRIES = 10  # PutEvents takes at most 10 entries per call


class EventBus:
    def __init__(self, client: Any, bus_name: str):
        self._client = client
        self._bus = bus_name

    def _entry(self, event: ProductEvent) -> dict[str, Any]:
        entry = {
            "EventBusName": self._bus,
            "Source": EVENT_SOURCE,
            "DetailType": event.detail_type,
            "Detail": event.model_dump_json(exclude_none=True),
        }
        # Lambda's trace header: EventBridge hands it on to SQS, linking the replica's update to
        # this publication.
        trace_header = os.environ.get("_X_AMZN_TRACE_ID")
        if trace_header:
            entry["TraceHeader"] = trace_header
        return entry

    @step
    def publish(self, events: Sequence[ProductEvent]) -> list[str | None]:
        """Publishes `events` in order, 10 to a call; returns one outcome per event: None when
        EventBridge accepted it, else why not. A call that fails as a whole (after the SDK's
        retries) fails its events; the calls after it are still made."""
        outcomes: list[str | None] = []
        for start in range(0, len(events), MAX_ENTRIES):
            chunk = events[start : start + MAX_ENTRIES]
            try:
                response = self._client.put_events(Entries=[self._entry(e) for e in chunk])
            except (ClientError, BotoCoreError) as error:
                outcomes += [repr(error)] * len(chunk)
                continue
            entries = response.get("Entries") or []
            for i in range(len(chunk)):
                entry = entries[i] if i < len(entries) else {}
                if entry.get("EventId") and not entry.get("ErrorCode"):
                    outcomes.append(None)
                else:
                    outcomes.append(f"{entry.get('ErrorCode', 'NoEntry')}: {entry.get('ErrorMessage', '')}")
        return outcomes
