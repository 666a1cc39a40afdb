"""What Lambda records about a function's work: platform log records (the JSON log format's
platform.initReport and platform.report) and the function's X-Ray segment in the caller's trace."""

import json
from datetime import UTC, datetime
from typing import Any

from scripts.localcloud import system
from scripts.localcloud.functions.variables import function_arn
from scripts.localcloud.xray.header import TraceHeader
from scripts.localcloud.xray.segments import segment


def platform_record(kind: str, record: dict[str, Any]) -> str:
    return json.dumps({"time": datetime.now(UTC).isoformat(), "type": kind, "record": record})


def init_report(seconds: float) -> str:
    return platform_record(
        "platform.initReport", {"initializationType": "on-demand", "durationMs": seconds * 1000}
    )


def invocation_report(function: system.Function, request_id: str, error: bool, duration_ms: float) -> str:
    return platform_record(
        "platform.report",
        {
            "requestId": request_id,
            "status": "error" if error else "success",
            "metrics": {"durationMs": round(duration_ms, 2), "memorySizeMB": function.memory},
        },
    )


def function_segment(
    function: system.Function,
    segment_id: str,
    caller: TraceHeader,
    started_at: float,
    request_id: str,
    error: bool,
) -> dict[str, Any]:
    """The AWS::Lambda::Function segment, a child of the caller's segment, as Lambda records it."""
    document = segment(
        function.name,
        segment_id,
        caller.root,
        started_at,
        "AWS::Lambda::Function",
        parent_id=caller.parent,
        aws={"request_id": request_id, "function_arn": function_arn(function.name)},
    )
    return document | ({"fault": True} if error else {})
