"""The embedded AWS: moto's server in this process."""

import logging
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from scripts.localcloud.aws import fidelity
from scripts.localcloud.aws.clients import client


class EmbeddedAws:
    """moto's server on 127.0.0.1: every service in one endpoint, as LocalStack has it."""

    def __init__(self, port: int = 0):
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.endpoint = ""

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per AWS call
        fidelity.apply()
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def client(self, service: str) -> Any:
        return client(service, self.endpoint)
