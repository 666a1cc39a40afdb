"""API Gateway REST APIs with Lambda proxy integrations, on one local port.

Routes come from the services' OpenAPI documents, the same ones Terraform deploys. A request
becomes a v1 proxy event; the function's answer becomes the HTTP response. What API Gateway
itself answers is kept: 403 "Missing Authentication Token" for an unknown route or method, 401
"Unauthorized" when an operation secured by a Cognito user pool gets no valid ID token (see
authorizer.py), 502 for a failed or malformed integration, 413 for a body over 10 MB. It also
serves the documents and a Swagger UI page (docs.py), which no deployed API has.

Which operations need a token comes from the same documents: an operation's `security` (or
the document's) naming a scheme with `x-amazon-apigateway-authtype: cognito_user_pools`,
whose `name` is the header that carries the token. Terraform adds the authorizer's
providerARNs to those schemes (terraform/modules/rest-api).
"""

import json
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from scripts.localcloud.gateway.docs import ApiDocs
from scripts.localcloud.gateway.proxy import STAGE, integration_response, proxy_event
from scripts.localcloud.gateway.routes import Resource, match
from scripts.localcloud.xray.header import TraceHeader, new_segment_id, new_trace_id
from scripts.localcloud.xray.segments import segment

MAX_PAYLOAD = 10 * 1024 * 1024
# Invokes a function: (function name, event bytes, trace header) -> (payload, function error?).
Invoker = Callable[[str, bytes, str], tuple[bytes, bool]]


class _GatewayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: "ApiGateway"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _read_body(self) -> bytes | None:
        """The request body; None when it is over API Gateway's limit. ValueError when malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, size = [], 0
            while (length := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                size += length
                if size > MAX_PAYLOAD:
                    return None
                chunks.append(self.rfile.read(length))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return None if length > MAX_PAYLOAD else self.rfile.read(length)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _claims(self, resource: Resource) -> dict[str, str] | None:
        """The verified claims of the request's token, or None (401)."""
        assert resource.authorizer is not None
        return resource.authorizer.claims(self.headers.get(resource.guarded[self.command]))

    def _handle(self) -> None:
        started, started_at = time.monotonic(), time.time()
        request_id = str(uuid.uuid4())
        incoming = TraceHeader.parse(self.headers.get("X-Amzn-Trace-Id"))
        trace = TraceHeader(
            incoming.root if incoming else new_trace_id(),
            new_segment_id(),
            incoming.sampled if incoming else True,
        )
        url = urlsplit(self.path)
        common = [
            ("x-amzn-RequestId", request_id),
            ("X-Amzn-Trace-Id", f"Root={trace.root};Sampled={int(trace.sampled)}"),
        ]
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            headers = [("Content-Type", "application/json")]
            self._send(400, headers + common, b'{"message":"Bad Request: malformed body framing"}')
            return
        found = match(self.server.resources, url.path)
        claims = None
        local = self.server.docs.answer(url.path) if self.command in ("GET", "HEAD") else None
        if local is not None:
            status, headers, data = local
            found = None  # not an API: not traced
        elif body is None:
            status, headers, data = (
                413,
                [("Content-Type", "application/json")],
                b'{"message":"Request Too Long"}',
            )
            self.close_connection = True
        elif found is None or self.command not in found[0].methods:
            status, headers = (
                403,
                [
                    ("Content-Type", "application/json"),
                    ("x-amzn-ErrorType", "MissingAuthenticationTokenException"),
                ],
            )
            data = b'{"message":"Missing Authentication Token"}'
        elif self.command in found[0].guarded and (claims := self._claims(found[0])) is None:
            status, headers = (
                401,
                [("Content-Type", "application/json"), ("x-amzn-ErrorType", "UnauthorizedException")],
            )
            data = b'{"message":"Unauthorized"}'
        else:
            resource, parameters = found
            event = proxy_event(
                self.command,
                url.path,
                resource=resource.path,
                path_parameters=parameters,
                headers=list(self.headers.items()),
                query=parse_qsl(url.query, keep_blank_values=True),
                body=body,
                source_ip=self.client_address[0],
                request_id=request_id,
                api_id=resource.api_id,
                claims=claims,
            )
            payload, failed = self.server.invoke(resource.function, json.dumps(event).encode(), str(trace))
            response = None if failed else integration_response(payload)
            if response is None:
                status, headers = (
                    502,
                    [
                        ("Content-Type", "application/json"),
                        ("x-amzn-ErrorType", "InternalServerErrorException"),
                    ],
                )
                data = b'{"message": "Internal server error"}'
            else:
                status, headers, data = response
        self._send(status, headers + common, data)
        if self.server.trace and found and trace.sampled:
            self.server.trace(
                segment(
                    f"{found[0].api_name}/{STAGE}",
                    trace.parent,
                    trace.root,
                    started_at,
                    "AWS::ApiGateway::Stage",
                    parent_id=incoming.parent if incoming else None,
                    status=status,
                    http={
                        "request": {"method": self.command, "url": self.path},
                        "response": {"status": status},
                    },
                    aws={
                        "api_gateway": {
                            "request_id": request_id,
                            "rest_api_id": found[0].api_id,
                            "stage": STAGE,
                        }
                    },
                )
            )
        elapsed = (time.monotonic() - started) * 1000
        self.server.log(f"{self.command} {self.path} {status} {elapsed:.1f} ms  trace {trace.root}")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def __getattr__(self, name: str):
        # Any other method (TRACE, PROPFIND...) also goes through API Gateway's routing, which answers
        # 403 as for any undeclared method, where http.server would answer 501 in HTML.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)


class ApiGateway(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away is no error
            super().handle_error(request, client_address)

    def __init__(
        self,
        port: int,
        resources: list[Resource],
        invoke: Invoker,
        log: Callable[[str], None],
        trace: Callable[[dict], None] | None = None,
        docs: ApiDocs | None = None,
    ):
        super().__init__(("127.0.0.1", port), _GatewayHandler)
        self.resources = resources
        self.docs = docs or ApiDocs({})
        self.invoke = invoke
        self.log = log
        self.trace = trace
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
