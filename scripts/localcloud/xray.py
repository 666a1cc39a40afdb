"""X-Ray for the local cloud: a daemon stand-in and the store of trace segments.

The X-Ray SDK in each function sends its (sub)segments over UDP as to the X-Ray daemon; the
local API Gateway and Lambda add their own segments, as the services do in AWS. Every
document is appended to one JSON-lines file, which `make traces` reads (scripts/traces.py).
"""

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any


class TraceStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def add(self, document: dict[str, Any]) -> None:
        line = json.dumps(document, separators=(",", ":"))
        with self._lock, self.path.open("a") as file:
            file.write(line + "\n")

    def documents(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]


def segment(
    name: str,
    segment_id: str,
    trace_id: str,
    started: float,
    origin: str,
    parent_id: str | None = None,
    status: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An X-Ray segment document that ends now; 4xx marks an error and 5xx a fault."""
    document: dict[str, Any] = {
        "name": name,
        "id": segment_id,
        "trace_id": trace_id,
        "start_time": started,
        "end_time": time.time(),
        "origin": origin,
        **fields,
    }
    if parent_id:
        document["parent_id"] = parent_id
    if status is not None:
        document["error"] = 400 <= status < 500
        document["fault"] = status >= 500
    return document


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
