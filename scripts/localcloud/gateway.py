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

import base64
import json
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from scripts.localcloud import system
from scripts.localcloud.authorizer import CognitoAuthorizer
from scripts.localcloud.docs import ApiDocs
from scripts.localcloud.tracing import TraceHeader, new_segment_id, new_trace_id
from scripts.localcloud.xray import segment

STAGE = system.ENVIRONMENT
MAX_PAYLOAD = 10 * 1024 * 1024
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Invokes a function: (function name, event bytes, trace header) -> (payload, function error?).
Invoker = Callable[[str, bytes, str], tuple[bytes, bool]]


@dataclass(frozen=True)
class Resource:
    path: str  # the template, such as /product/{id}
    pattern: re.Pattern[str]
    methods: frozenset[str]
    function: str
    api_id: str
    api_name: str
    # The methods that a Cognito user pool authorizer guards, each with the header of its token.
    guarded: Mapping[str, str] = field(default_factory=dict)
    authorizer: CognitoAuthorizer | None = None


COGNITO = "cognito_user_pools"


def token_header(document: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """The header of the Cognito authorizer that guards `operation`, or None when it is public.

    The operation's `security` applies, or else the document's (OpenAPI's rule); naming no
    scheme (`[]`) means no authorization. Only Cognito user pool schemes are known here: any
    other scheme is an error rather than an open route."""
    requirements = operation.get("security", document.get("security", []))
    names = {name for requirement in requirements for name in requirement}
    if not names:
        return None
    schemes = document.get("components", {}).get("securitySchemes", {})
    headers = set()
    for name in names:
        scheme = schemes.get(name, {})
        if scheme.get("x-amazon-apigateway-authtype") != COGNITO or scheme.get("in") != "header":
            raise ValueError(f"security scheme {name!r}: only {COGNITO} in a header is emulated")
        headers.add(scheme["name"])
    if len(headers) != 1:
        raise ValueError(f"one token header per operation expected, got {sorted(headers)}")
    return headers.pop()


def load_resources(
    apis: tuple[system.Api, ...], authorizers: Mapping[str, CognitoAuthorizer] | None = None
) -> list[Resource]:
    """The routes of `apis`; `authorizers` maps a user pool's name to its authorizer."""
    resources = []
    for api in apis:
        document = yaml.safe_load(Path(api.openapi).read_text())
        api_id = uuid.uuid5(uuid.NAMESPACE_URL, api.name).hex[:10]
        authorizer = (authorizers or {}).get(api.user_pool or "")
        for path, operations in document["paths"].items():
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
            methods = {m.upper(): operation for m, operation in operations.items() if m in METHODS}
            headers = {m: token_header(document, operation) for m, operation in methods.items()}
            guarded = {m: header for m, header in headers.items() if header}
            if guarded and authorizer is None:
                raise ValueError(f"{api.name} {path}: secured operations, but no user pool authorizer")
            resources.append(
                Resource(
                    path,
                    re.compile(f"^{regex}$"),
                    frozenset(methods),
                    api.function,
                    api_id,
                    api.name,
                    guarded=guarded,
                    authorizer=authorizer,
                )
            )
    # Literal segments win over parameters, as in API Gateway (/basket/checkout before /basket/{userName}).
    return sorted(resources, key=lambda r: (r.path.count("{"), -len(r.path)))


def match(resources: list[Resource], path: str) -> tuple[Resource, dict[str, str]] | None:
    for resource in resources:
        found = resource.pattern.match(path)
        if found:
            return resource, {k: unquote(v) for k, v in found.groupdict().items()}
    return None


def _single_and_multi(
    pairs: list[tuple[str, str]],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        multi.setdefault(key, []).append(value)
    return {key: values[-1] for key, values in multi.items()}, multi


def proxy_event(
    method: str,
    path: str,
    *,
    resource: str,
    path_parameters: dict[str, str] | None = None,
    headers: list[tuple[str, str]] | None = None,
    query: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    source_ip: str = "127.0.0.1",
    request_id: str | None = None,
    api_id: str = "local",
    claims: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API Lambda proxy integration event (payload format 1.0); `claims` are those of
    the Cognito authorizer that let the request in."""
    header_pairs = headers or []
    single_headers, multi_headers = _single_and_multi(header_pairs)
    single_query, multi_query = _single_and_multi(query or [])
    text_body: str | None = None
    encoded = False
    if body:
        try:
            text_body = body.decode()
        except UnicodeDecodeError:
            text_body, encoded = base64.b64encode(body).decode(), True
    now = datetime.now(UTC)
    host = (single_headers or {}).get("Host", "127.0.0.1")
    user_agent = next((v for k, v in header_pairs if k.lower() == "user-agent"), None)
    authorizer = {"authorizer": {"claims": claims}} if claims is not None else {}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single_headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": uuid.uuid5(uuid.NAMESPACE_URL, resource).hex[:6],
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": uuid.uuid4().hex[:16],
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{STAGE}{path}",
            "accountId": system.ACCOUNT,
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": host.split(".")[0],
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id or str(uuid.uuid4()),
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": source_ip,
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": user_agent,
                "user": None,
            },
            "domainName": host,
            "apiId": api_id,
            **authorizer,
        },
        "body": text_body,
        "isBase64Encoded": encoded,
    }


def integration_response(payload: bytes) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The HTTP response a proxy integration result stands for, or None when it is malformed."""
    try:
        result = json.loads(payload)
        status = int(result["statusCode"])
        headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers = [h for h in headers if h[0].lower() != key.lower()] + [(key, str(v)) for v in values]
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not 100 <= status <= 599:
        return None
    return status, headers, data


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
