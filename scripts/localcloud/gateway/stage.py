"""What the stage of the local REST APIs does with a request, as API Gateway does it: serve the
documents (docs.py), route by the OpenAPI documents (routes.py), let the Cognito authorizer
check the token of a secured operation (authorizer.py), invoke the function with a proxy event
and read its answer (proxy.py), or answer by itself (answers.py); every answer carries the
request id, the extended request id and the trace id, and is recorded (telemetry.py).
"""

import base64
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from scripts.localcloud.gateway import answers
from scripts.localcloud.gateway.answers import Answer
from scripts.localcloud.gateway.docs import ApiDocs
from scripts.localcloud.gateway.http import Request
from scripts.localcloud.gateway.proxy import integration_response, proxy_event
from scripts.localcloud.gateway.routes import Resource, match
from scripts.localcloud.gateway.telemetry import access_line, stage_segment
from scripts.localcloud.xray.header import TraceHeader, new_segment_id, new_trace_id

# Invokes a function: (function name, event bytes, trace header) -> (payload, function error?).
Invoker = Callable[[str, bytes, str], tuple[bytes, bool]]


def extended_request_id() -> str:
    """An id in the form of API Gateway's x-amz-apigw-id (16 characters of base64)."""
    return base64.b64encode(os.urandom(11)).decode()


@dataclass(frozen=True)
class Ids:
    request_id: str
    extended_request_id: str
    trace: TraceHeader | None = None  # the stage's segment in the trace

    def headers(self) -> list[tuple[str, str]]:
        headers = [("x-amzn-RequestId", self.request_id), ("x-amz-apigw-id", self.extended_request_id)]
        if self.trace:
            headers.append(("X-Amzn-Trace-Id", f"Root={self.trace.root};Sampled={int(self.trace.sampled)}"))
        return headers


class Stage:
    def __init__(
        self,
        resources: list[Resource],
        invoke: Invoker,
        docs: ApiDocs | None = None,
        log: Callable[[str], None] = print,
        trace: Callable[[dict], None] | None = None,
    ):
        self.resources = resources  # replaced as a whole when a document changes
        self.invoke = invoke
        self.docs = docs or ApiDocs({})
        self.log = log
        self.trace = trace

    def decorate(self, answer: Answer, ids: Ids | None = None) -> Answer:
        """The answer with the ids every API Gateway answer carries."""
        ids = ids or Ids(str(uuid.uuid4()), extended_request_id())
        return Answer(answer.status, answer.headers + ids.headers(), answer.body, answer.close)

    def answer(self, request: Request) -> Answer:
        started, started_at = time.monotonic(), time.time()
        caller = TraceHeader.parse(request.header("X-Amzn-Trace-Id"))
        trace = TraceHeader(
            caller.root if caller else new_trace_id(), new_segment_id(), caller.sampled if caller else True
        )
        ids = Ids(str(uuid.uuid4()), extended_request_id(), trace)
        answer, resource = self._answer(request, ids)
        if self.trace and resource and trace.sampled:
            self.trace(
                stage_segment(
                    resource,
                    trace,
                    caller,
                    started_at,
                    request.method,
                    request.target,
                    answer.status,
                    ids.request_id,
                )
            )
        elapsed = (time.monotonic() - started) * 1000
        self.log(access_line(request.method, request.target, answer.status, elapsed, trace))
        return self.decorate(answer, ids)

    def _answer(self, request: Request, ids: Ids) -> tuple[Answer, Resource | None]:
        """The answer, and the API resource that the path matched (None: not an API's)."""
        url = urlsplit(request.target)
        if request.method in ("GET", "HEAD") and (local := self.docs.answer(url.path)) is not None:
            return Answer(*local), None
        found = match(self.resources, url.path)
        if found is None:
            return answers.MISSING_AUTHENTICATION_TOKEN, None
        resource, parameters = found
        if request.method not in resource.methods:
            return answers.MISSING_AUTHENTICATION_TOKEN, resource
        claims = None
        if request.method in resource.guarded:
            assert resource.authorizer is not None
            claims = resource.authorizer.claims(request.header(resource.guarded[request.method]))
            if claims is None:
                return answers.UNAUTHORIZED, resource
        event = proxy_event(
            request.method,
            url.path,
            resource=resource.path,
            path_parameters=parameters,
            headers=request.headers,
            query=parse_qsl(url.query, keep_blank_values=True),
            body=request.body,
            source_ip=request.client_ip,
            request_id=ids.request_id,
            extended_request_id=ids.extended_request_id,
            api_id=resource.api_id,
            claims=claims,
        )
        assert ids.trace is not None
        payload, failed = self.invoke(resource.function, json.dumps(event).encode(), str(ids.trace))
        response = None if failed else integration_response(payload)
        if response is None:
            return answers.INTEGRATION_FAILED, resource
        return Answer(*response), resource
