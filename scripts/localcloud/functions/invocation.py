"""One invocation of a function, from the moment it is asked for to its result."""

import json
import threading
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class InvokeResult:
    request_id: str
    payload: bytes
    error: bool  # the function failed: an exception, a crash or a timeout
    duration_ms: float


class Invocation:
    def __init__(self, payload: bytes, trace_header: str | None):
        self.request_id = str(uuid.uuid4())
        self.payload = payload
        self.trace_header = trace_header
        self.taken = threading.Event()  # an execution environment has it, or it is finished
        self.done = threading.Event()
        self.started = 0.0  # epoch seconds when taken: its deadline counts from there
        self.result = b""
        self.error = False
        self._lock = threading.Lock()

    def finish(self, result: bytes, error: bool) -> bool:
        """Records the outcome once; later outcomes (a crash after a timeout) are ignored."""
        with self._lock:
            if self.done.is_set():
                return False
            self.result, self.error = result, error
            self.taken.set()
            self.done.set()
            return True


def error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode()
