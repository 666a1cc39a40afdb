"""The embedded AWS: moto's server in this process, on a port of its own (4566 by default, as
LocalStack), every request passing the snapshot gate (gate.py)."""

import logging
import socket
import threading
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from scripts.localcloud.aws import fidelity, gate
from scripts.localcloud.aws.clients import client


class EmbeddedAws:
    """moto's server on 127.0.0.1: every service on one endpoint."""

    def __init__(self, port: int = 0, listener: socket.socket | None = None):
        """`listener`: a socket already bound (and listening) for it; else `port` is bound at start."""
        self.port = port
        self._listener = listener
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.endpoint = ""

    def bind(self) -> None:
        """Takes the port (OSError if taken); requests wait in its backlog until serve()."""
        if self._listener is None:
            self._listener = socket.socket()
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._listener.bind(("127.0.0.1", self.port))
            self._listener.listen(1024)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per AWS call
        fidelity.apply()
        gate.long_polls_step_out()
        app = gate.gated(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            "127.0.0.1",
            self._listener.getsockname()[1],
            app,
            threaded=True,
            request_handler=MotoRequestHandler,
            fd=self._listener.fileno(),
        )
        self._listener.close()  # the server has its own copy of the socket
        host, port = self._server.server_address[:2]
        self.port = port
        self.endpoint = f"http://{host}:{port}"

    def serve(self) -> None:
        assert self._server is not None
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def start(self) -> None:
        self.bind()
        self.serve()

    def stop(self) -> None:
        if self._server is not None:
            if self._thread is not None:
                self._server.shutdown()
                self._thread.join()
            self._server.server_close()
            self._server = None

    def client(self, service: str) -> Any:
        return client(service, self.endpoint)
