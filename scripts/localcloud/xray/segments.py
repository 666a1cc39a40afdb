"""The segment documents that API Gateway and Lambda record for their part of a trace."""

import time
from typing import Any


def segment(
    name: str,
    segment_id: str,
    trace_id: str,
    started: float,
    origin: str,
    parent_id: str | None = None,
    status: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An X-Ray segment document that ends now; 4xx marks an error and 5xx a fault."""
    document: dict[str, Any] = {
        "name": name,
        "id": segment_id,
        "trace_id": trace_id,
        "start_time": started,
        "end_time": time.time(),
        "origin": origin,
        **fields,
    }
    if parent_id:
        document["parent_id"] = parent_id
    if status is not None:
        document["error"] = 400 <= status < 500
        document["fault"] = status >= 500
    return document
