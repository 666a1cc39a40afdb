"""HTTP framing of the local API Gateway: a request read off the connection (request line,
headers, a body by Content-Length or chunked), and an answer written back with API Gateway's
headers. What cannot be read gets a JSON error, never http.server's HTML page, and no answer
carries a `Server` header (API Gateway sends none).

Limits: API Gateway's (REST) 10 MB of body (413) and 10240 characters of URL (414); and
10240 bytes of header values (431), the quota AWS documents for HTTP APIs, as AWS states none
for REST APIs.
"""

import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from scripts.localcloud.gateway import answers
from scripts.localcloud.gateway.answers import Answer

if TYPE_CHECKING:
    from scripts.localcloud.gateway.server import ApiGateway

MAX_PAYLOAD = 10 * 1024 * 1024
MAX_URL = 10240  # characters
MAX_HEADERS = 10240  # bytes of header values


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the path and query string, as sent
    headers: list[tuple[str, str]]
    body: bytes
    client_ip: str

    def header(self, name: str) -> str | None:
        """The last value of a header, by its name in any case."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None


class TooLarge(Exception):
    pass


class GatewayRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: "ApiGateway"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the stage logs each request on the console

    def send_response(self, code: int, message: str | None = None) -> None:
        """As http.server's, without its `Server: BaseHTTP/...` header."""
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server calls this for what it cannot parse: answer JSON, as API Gateway does."""
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        if getattr(self, "request_version", None) in (None, self.default_request_version):
            self.request_version = self.protocol_version  # not read yet: HTTP/1.1, not HTTP/0.9's bare body
        if code == HTTPStatus.BAD_REQUEST:  # its message would echo what could not be read
            answer = answers.bad_request("the request line or headers cannot be read")
        elif code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE:
            answer = answers.HEADERS_TOO_LARGE
        elif code == HTTPStatus.NOT_IMPLEMENTED:  # a method name http.server cannot dispatch
            answer = answers.MISSING_AUTHENTICATION_TOKEN
        else:
            answer = answers.protocol_error(code, phrase)
        self.command = self.command or "GET"
        self.write(self.server.stage.decorate(answer))

    def write(self, answer: Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                self.send_header(name, value)
        if answer.close:
            self.close_connection = True
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _read_body(self) -> bytes:
        """The request body. TooLarge over API Gateway's limit; ValueError when malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, size = [], 0
            while (length := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                size += length
                if size > MAX_PAYLOAD:
                    raise TooLarge
                chunks.append(self.rfile.read(length))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_PAYLOAD:
            raise TooLarge
        return self.rfile.read(length)

    def _handle(self) -> None:
        if len(self.path) > MAX_URL:
            return self.write(self.server.stage.decorate(answers.protocol_error(414, "Request-URI Too Long")))
        if sum(len(value) for value in self.headers.values()) > MAX_HEADERS:
            return self.write(self.server.stage.decorate(answers.HEADERS_TOO_LARGE))
        try:
            body = self._read_body()
        except TooLarge:
            return self.write(self.server.stage.decorate(answers.TOO_LARGE))
        except ValueError:
            return self.write(self.server.stage.decorate(answers.bad_request("malformed body framing")))
        request = Request(self.command, self.path, list(self.headers.items()), body, self.client_address[0])
        self.write(self.server.stage.answer(request))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def __getattr__(self, name: str):
        # Any other method (TRACE, PROPFIND...) also goes through API Gateway's routing, which answers
        # 403 as for any undeclared method, where http.server would answer 501 in HTML.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)


def is_disconnect() -> bool:
    """Whether the exception being handled is a client that went away (no error of ours)."""
    return isinstance(sys.exc_info()[1], ConnectionError | TimeoutError)
