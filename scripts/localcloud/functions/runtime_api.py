"""The Lambda Runtime API of one execution environment: the runtime client in the function's
process asks it for the next invocation and posts the result (or an init error) back.

    GET  /2018-06-01/runtime/invocation/next
    POST /2018-06-01/runtime/invocation/<request id>/response | /error
    POST /2018-06-01/runtime/init/error
"""

import errno
import select
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from scripts.localcloud.functions.variables import function_arn

if TYPE_CHECKING:
    from scripts.localcloud.functions.environment import ExecutionEnvironment
    from scripts.localcloud.functions.invocation import Invocation

RUNTIME_API = "/2018-06-01/runtime"


def peer_open(connection: socket.socket) -> bool:
    """False once the other end closed the connection: the runtime client's process is gone
    (the kernel closes a dead process's sockets at once, before its exit is reaped)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return not readable or connection.recv(1, socket.MSG_PEEK) != b""
    except OSError:
        return False


def _refused(connection: socket.socket) -> bool:
    """Whether the other end reset the connection: it had closed it, or closed it with data of
    ours unread (the error is pending when the end of the stream was read first)."""
    try:
        error = connection.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    except OSError:
        return False
    return error in (errno.ECONNRESET, errno.EPIPE)


class _RuntimeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: "RuntimeApiServer"
    handed: "Invocation | None" = None  # the last invocation sent on this connection

    def handle(self) -> None:
        """Serves the connection. A process that dies with data unread resets it (and one that
        closed it before the invocation was sent refuses the data): if the last invocation sent
        on it is unfinished then, the runtime client never read it."""
        reset = False
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            reset = True
        finally:
            if self.handed is not None:
                reset = reset or _refused(self.connection)
                self.server.environment.connection_closed(self.handed, unread=reset)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path != f"{RUNTIME_API}/invocation/next":
            return self._reply(404)
        environment = self.server.environment
        invocation = environment.next_invocation(lambda: peer_open(self.connection))
        if invocation is None:  # the process is gone, or the pool stops
            self.close_connection = True
            return self._reply(500, b'{"errorMessage": "shutting down"}')
        deadline = int((invocation.started + environment.function.timeout) * 1000)
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline),
            "Lambda-Runtime-Invoked-Function-Arn": function_arn(environment.function.name),
        }
        if invocation.trace_header:
            headers["Lambda-Runtime-Trace-Id"] = invocation.trace_header
        self.handed = invocation
        self._reply(200, invocation.payload, headers)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path[len(RUNTIME_API) :].strip("/").split("/")
        environment = self.server.environment
        if parts == ["init", "error"]:
            environment.init_error = body
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            environment.pool.complete(environment, parts[1], body, error=parts[2] == "error")
        else:
            return self._reply(404)
        self._reply(202, b'{"status": "OK"}', {"Content-Type": "application/json"})


class RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away is no error
            super().handle_error(request, client_address)

    def __init__(self, environment: "ExecutionEnvironment"):
        super().__init__(("127.0.0.1", 0), _RuntimeApiHandler)
        self.environment = environment
