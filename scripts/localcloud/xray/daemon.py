"""A stand-in for the X-Ray daemon: the X-Ray SDK in each function sends its (sub)segments over
UDP, as to the daemon, and they go to the trace store."""

import json
import socket
import threading

from scripts.localcloud.xray.store import TraceStore


class XRayDaemon:
    """Receives segments on UDP, as the X-Ray daemon does, and keeps them in the store."""

    def __init__(self, store: TraceStore, port: int = 0):
        self.store = store
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", port))
        self._socket.settimeout(0.5)
        self.address = "{}:{}".format(*self._socket.getsockname())
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._socket.close()

    def _receive(self) -> None:
        while not self._stopped.is_set():
            try:
                datagram = self._socket.recv(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            header, _, body = datagram.partition(b"\n")
            try:
                if json.loads(header).get("format") == "json":
                    self.store.add(json.loads(body))
            except (ValueError, AttributeError):
                continue  # not an X-Ray datagram
