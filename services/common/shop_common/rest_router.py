"""Routes API Gateway REST API proxy events (payload format 1.0) to an API's route functions.

    app = RestRouter()

    @app.get("/product/<product_id>")
    def get_product(product_id: str) -> Response:
        ...app.request.query("limit")...

    app.resolve(event)  # -> the proxy result: statusCode, body, multiValueHeaders

It does what the shop's APIs need of Powertools' APIGatewayRestResolver, which it replaced
(measured: shop_common.http), and no more:
- a route is a method and a path whose `<name>` placeholders each match one path segment made
  of the characters Powertools' resolver took (a segment with others, such as a raw `"`, is no
  route's: 404); the segment is passed as the keyword argument `name`, still percent-encoded,
  as API Gateway hands it over. Paths without placeholders are tried first,
  then the others in the order they were added; trailing slashes are ignored;
- `app.request` is the request being routed: its method, path, headers (any case), query
  string and body, and the event itself;
- an exception a route raises goes to the handler registered for its class or its nearest base
  class (`exception_handler`); without one it propagates. A request no route takes goes to the
  `not_found` handler;
- a route returns a Response; the answer carries its headers as multiValueHeaders.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

_PLACEHOLDER = re.compile(r"<(\w+)>")
# What a placeholder matches: the characters Powertools' resolver took in a path segment (RFC 3986's
# unreserved characters and sub-delimiters, "%" of the percent-encoding, a few unsafe ones and
# any word character), so that no request is routed otherwise than it was.
_SEGMENT = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+"

F = TypeVar("F", bound=Callable[..., Any])
E = TypeVar("E", bound=Callable[[Any], Any])


@dataclass(frozen=True)
class Response:
    status: int
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    def proxy_result(self) -> dict[str, Any]:
        """What Lambda returns to API Gateway's proxy integration."""
        return {
            "statusCode": self.status,
            "body": self.body,
            "isBase64Encoded": False,
            "multiValueHeaders": {name: [value] for name, value in self.headers.items()},
        }


class Request:
    """A REST proxy event, as the routes read it."""

    def __init__(self, event: Mapping[str, Any]):
        self.event = event
        self.method: str = (event.get("httpMethod") or "").upper()
        self.path: str = event.get("path") or "/"
        self._headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}

    def header(self, name: str) -> str | None:
        """The header's value (its last one, when it came several times), whatever its case."""
        return self._headers.get(name.lower())

    def header_values(self, name: str) -> list[str]:
        """Every value the header came with, whatever the case of its name."""
        wanted = name.lower()
        multi = self.event.get("multiValueHeaders") or {}
        values = [value for key, found in multi.items() if key.lower() == wanted for value in found or ()]
        if not values and (single := self.header(name)) is not None:
            values = [single]
        return values

    def query(self, name: str) -> str | None:
        """The query string parameter's value (its last one, when it came several times)."""
        return (self.event.get("queryStringParameters") or {}).get(name)

    @property
    def body(self) -> str:
        return self.event.get("body") or ""

    @property
    def is_base64_encoded(self) -> bool:
        return bool(self.event.get("isBase64Encoded"))


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as written, with its <name> placeholders
    function: Callable[..., Response]
    pattern: re.Pattern[str] | None  # None: a path without placeholders


class RestRouter:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self._static: dict[tuple[str, str], Route] = {}
        self._dynamic: list[Route] = []
        self._exception_handlers: dict[type[BaseException], Callable[[Any], Response]] = {}
        self._not_found: Callable[[], Response] | None = None
        self._request: Request | None = None

    @property
    def request(self) -> Request:
        """The request being routed (only while a route runs)."""
        if self._request is None:
            raise RuntimeError("no request is being routed")
        return self._request

    def route(self, method: str, path: str) -> Callable[[F], F]:
        def register(function: F) -> F:
            pattern = None
            if _PLACEHOLDER.search(path):
                parts = _PLACEHOLDER.split(path)  # text, name, text, name, ..., text
                regex = "".join(
                    re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_SEGMENT})"
                    for i, part in enumerate(parts)
                )
                pattern = re.compile(regex)
            route = Route(method.upper(), path, function, pattern)
            self.routes.append(route)
            if pattern is None:
                self._static[(route.method, path)] = route
            else:
                self._dynamic.append(route)
            return function

        return register

    def get(self, path: str) -> Callable[[F], F]:
        return self.route("GET", path)

    def post(self, path: str) -> Callable[[F], F]:
        return self.route("POST", path)

    def put(self, path: str) -> Callable[[F], F]:
        return self.route("PUT", path)

    def delete(self, path: str) -> Callable[[F], F]:
        return self.route("DELETE", path)

    def exception_handler(self, kind: type[BaseException]) -> Callable[[E], E]:
        def register(handler: E) -> E:
            self._exception_handlers[kind] = handler
            return handler

        return register

    def not_found(self, handler: Callable[[], Response]) -> Callable[[], Response]:
        self._not_found = handler
        return handler

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route that takes the request, with its placeholders' values."""
        path = path.rstrip("/") or "/"
        found = self._static.get((method, path))
        if found is not None:
            return found, {}
        for route in self._dynamic:
            if route.method == method and route.pattern is not None:
                matched = route.pattern.fullmatch(path)
                if matched:
                    return route, matched.groupdict()
        return None

    def resolve(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """The proxy result of the event's route (or of the not-found or exception handler)."""
        self._request = request = Request(event)
        try:
            return self._answer(request).proxy_result()
        finally:
            self._request = None

    def _answer(self, request: Request) -> Response:
        try:
            matched = self.match(request.method, request.path)
            if matched is not None:
                route, arguments = matched
                response = route.function(**arguments)
                if not isinstance(response, Response):  # a 500 of ours, not API Gateway's bare 502
                    raise TypeError(f"{route.method} {route.path} returned {type(response).__name__}")
                return response
            if self._not_found is None:
                raise LookupError(f"no route for {request.method} {request.path}")
            return self._not_found()
        except Exception as error:
            handler = next(
                (self._exception_handlers[k] for k in type(error).__mro__ if k in self._exception_handlers),
                None,
            )
            if handler is None:
                raise
            return handler(error)
