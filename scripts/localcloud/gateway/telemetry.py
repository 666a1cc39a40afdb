"""What the local API Gateway records of each request: the stage's X-Ray segment (AWS::ApiGateway::Stage)
and one console line (method, path, status, duration, trace id)."""

from typing import Any

from scripts.localcloud.gateway.proxy import STAGE
from scripts.localcloud.gateway.routes import Resource
from scripts.localcloud.xray.header import TraceHeader
from scripts.localcloud.xray.segments import segment


def stage_segment(
    resource: Resource,
    trace: TraceHeader,
    caller: TraceHeader | None,
    started_at: float,
    method: str,
    target: str,
    status: int,
    request_id: str,
) -> dict[str, Any]:
    assert trace.parent is not None  # the stage's own segment id
    return segment(
        f"{resource.api_name}/{STAGE}",
        trace.parent,
        trace.root,
        started_at,
        "AWS::ApiGateway::Stage",
        parent_id=caller.parent if caller else None,
        status=status,
        http={"request": {"method": method, "url": target}, "response": {"status": status}},
        aws={"api_gateway": {"request_id": request_id, "rest_api_id": resource.api_id, "stage": STAGE}},
    )


def access_line(method: str, target: str, status: int, elapsed_ms: float, trace: TraceHeader) -> str:
    return f"{method} {target} {status} {elapsed_ms:.1f} ms  trace {trace.root}"
