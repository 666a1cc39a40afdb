"""A gate between moto's requests and a snapshot of its state: many requests at a time, or one
snapshot alone, so that a snapshot never sees a request half done.

A snapshot that waits holds new requests back, and waits only for those being served: an SQS
long poll steps out of the gate while it waits for messages (it changes nothing meanwhile), so
a 20 s poll does not hold a snapshot, nor every other request behind it, for 20 s.
"""

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from moto.sqs.models import Queue


class Gate:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._requests = 0
        self._snapshots_waiting = 0
        self._snapshotting = False
        self._inside = threading.local()

    def _enter(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: not self._snapshotting and not self._snapshots_waiting)
            self._requests += 1
        self._inside.held = True

    def _leave(self) -> None:
        self._inside.held = False
        with self._changed:
            self._requests -= 1
            self._changed.notify_all()

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        self._enter()
        try:
            yield
        finally:
            self._leave()

    @contextlib.contextmanager
    def stepped_out(self) -> Iterator[None]:
        """For a request that waits without changing anything: a snapshot may happen meanwhile."""
        if not getattr(self._inside, "held", False):
            yield
            return
        self._leave()
        try:
            yield
        finally:
            self._enter()

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        """No request is being served while the block runs."""
        with self._changed:
            self._snapshots_waiting += 1
            self._changed.wait_for(lambda: self._requests == 0 and not self._snapshotting)
            self._snapshots_waiting -= 1
            self._snapshotting = True
        try:
            yield
        finally:
            with self._changed:
                self._snapshotting = False
                self._changed.notify_all()


GATE = Gate()  # moto's backends are global to the process, and so is their gate


def gated(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI application `app`, each request served inside the gate."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with GATE.request():
            result = app(environ, start_response)
            try:
                return [b"".join(result)]  # moto's answers are computed, not streamed
            finally:
                if hasattr(result, "close"):
                    result.close()

    return serve


def long_polls_step_out() -> None:
    """Makes moto's SQS long polls wait outside the gate."""
    if getattr(Queue.wait_for_messages, "_steps_out", False):
        return
    wait_for_messages = Queue.wait_for_messages

    def wait_outside(self: Queue, timeout: int) -> None:
        with GATE.stepped_out():
            wait_for_messages(self, timeout)

    wait_outside._steps_out = True  # type: ignore[attr-defined]
    Queue.wait_for_messages = wait_outside  # type: ignore[method-assign]
