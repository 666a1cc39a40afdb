"""The local API Gateway's listening socket: one thread per connection, and a listen backlog
that holds a burst of clients (http.server's default of 5 resets them)."""

import threading
from http.server import ThreadingHTTPServer

from scripts.localcloud.gateway.http import GatewayRequestHandler, is_disconnect
from scripts.localcloud.gateway.stage import Stage

BACKLOG = 1024  # connections waiting to be accepted; the kernel caps it at net.core.somaxconn


class ApiGateway(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, port: int, stage: Stage):
        """Binds the port at once: OSError when it is taken."""
        super().__init__(("127.0.0.1", port), GatewayRequestHandler)
        self.stage = stage
        self._serving: threading.Thread | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        if not is_disconnect():  # a client that went away is no error
            super().handle_error(request, client_address)

    def start(self) -> None:
        self._serving = threading.Thread(target=self.serve_forever, daemon=True)
        self._serving.start()

    def stop(self) -> None:
        if self._serving is not None:  # shutdown() waits for serve_forever(), forever if it never ran
            self.shutdown()
        self.server_close()
