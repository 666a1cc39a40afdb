"""How the product events' cases name what their functions get and do, in `make faults`' tables.

A stream record or an event is named by the event it makes or is: C2 is ProductChanged at
version 2, D2 ProductDeleted at version 2; X is a message that is no product event of the
contracts. An invocation prints as its records and what it reported: "C1 C2 D2: failed C1".
"""

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scripts.localcloud import system


@dataclass(frozen=True)
class Invocation:
    """One invocation of the publisher or the consumer: its records, and those it reported failed."""

    records: tuple[str, ...]
    failed: tuple[str, ...]  # by name; every record when the function died
    fault: str
    died: bool = False
    attempts: int = 0  # requests to the faulty service, retries included
    calls: int = 0  # of which first attempts
    published: tuple[str, ...] = ()  # the events it put on the bus (the publisher)

    def __str__(self) -> str:
        records = " ".join(self.records)
        if self.died:
            return f"{records}: died"
        if not self.failed:
            return f"{records}: ok"
        return f"{records}: failed {'all' if self.failed == self.records else ' '.join(self.failed)}"


def runs(invocations: Sequence[Invocation]) -> str:
    """Invocations in turn, "; " between them; a run of identical ones once, with its count."""
    parts: list[str] = []
    counts: list[int] = []
    for text in map(str, invocations):
        if parts and parts[-1] == text:
            counts[-1] += 1
        else:
            parts.append(text)
            counts.append(1)
    return "; ".join(p + (f" (x{n})" if n > 1 else "") for p, n in zip(parts, counts, strict=True)) or "-"


def record_name(record: dict[str, Any]) -> str:
    """C<version> or D<version>: the event a stream record makes."""
    kind, image = ("D", "OldImage") if record.get("eventName") == "REMOVE" else ("C", "NewImage")
    version = record.get("dynamodb", {}).get(image, {}).get("version", {"N": "0"})["N"]
    return f"{kind}{version}"


@functools.cache
def _contract(detail_type: str) -> Any:
    from jsonschema import Draft4Validator

    return Draft4Validator(json.loads((system.ROOT / "contracts/events" / f"{detail_type}.json").read_text()))


def event_name(event: Any) -> str:
    """C<version>, D<version>, or X for what is no product event of the contracts."""
    kinds = {"ProductChanged": "C", "ProductDeleted": "D"}
    kind = kinds.get(event.get("detail-type")) if isinstance(event, dict) else None
    if kind is None or not _contract(event["detail-type"]).is_valid(event):
        return "X"
    return f"{kind}{event['detail']['version']}"


def message_name(body: str) -> str:
    """The name of an SQS message's body."""
    try:
        return event_name(json.loads(body))
    except ValueError:
        return "X"
