"""One execution environment: a process running `awslambdaric` on the function's package, with
a Runtime API of its own, supervised: its output goes to the function's log, and its exit is
reported to the pool the moment it happens."""

import contextlib
import ctypes
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scripts.localcloud.functions import runtime
from scripts.localcloud.functions.invocation import Invocation
from scripts.localcloud.functions.runtime_api import RuntimeApiServer

if TYPE_CHECKING:
    from scripts.localcloud.functions.pool import FunctionPool


def _die_with_parent() -> None:
    """Runs in the child before exec: it gets SIGTERM when the local cloud dies, however it dies."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ExecutionEnvironment:
    """One process running the function, and the Runtime API it polls."""

    def __init__(self, pool: "FunctionPool"):
        self.pool = pool
        self.function = pool.function
        self.init_error: bytes | None = None
        self.current: Invocation | None = None  # set and cleared by the pool, under its lock
        self.initialised = False
        self.exited = False  # the process is gone (set by the pool, under its lock)
        self.killed_because: str | None = None  # why the local cloud killed it, if it did
        self._spawned = time.monotonic()
        self._closed: dict[str, bool] = {}  # request id -> unread when its connection closed
        self._connections = threading.Condition()
        self._process: subprocess.Popen | None = None
        self.pid: int | None = None
        pool.register(self)  # before its process can report in
        self._server = RuntimeApiServer(self)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        environment = {**pool.environment, "AWS_LAMBDA_RUNTIME_API": f"{host}:{port}"}
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = (
            f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        )
        self._process = subprocess.Popen(
            # -S: no site-packages, so the function sees only its package and the runtime's.
            [runtime.interpreter(), "-S", "-m", "awslambdaric", self.function.handler],
            cwd=pool.package_dir,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            start_new_session=True,  # Ctrl-C reaches the local cloud, which stops its functions in order
        )
        self.pid = self._process.pid
        self._log_thread = threading.Thread(target=self._forward_logs, args=(self._process,), daemon=True)
        self._log_thread.start()
        threading.Thread(target=self._supervise, args=(self._process,), daemon=True).start()
        if pool.stopped:  # stop() may have come while this process started
            self.kill("the function stopped")

    def _forward_logs(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.pool.log(line.decode(errors="replace").rstrip("\n"))

    def connection_closed(self, invocation: Invocation, unread: bool) -> None:
        """The connection that carried `invocation` closed; `unread`: reset with it unread."""
        with self._connections:
            self._closed[invocation.request_id] = unread
            self._connections.notify_all()

    def never_read(self, invocation: Invocation, timeout: float = 1) -> bool:
        """After the process exited: whether it died without reading `invocation` (its connection
        was reset). Waits a moment for the Runtime API to see the connection end."""
        with self._connections:
            self._connections.wait_for(lambda: invocation.request_id in self._closed, timeout=timeout)
            return self._closed.get(invocation.request_id, False)

    def join_logs(self, timeout: float) -> None:
        """Waits until the process's output is all in the log (it ends when the process does)."""
        self._log_thread.join(timeout)

    def next_invocation(self, connected: Callable[[], bool]) -> Invocation | None:
        """Blocks until the pool gives this environment an invocation; None once its process is
        gone (`connected` tells whether the runtime client still listens) or the pool stops."""
        if not self.initialised:
            self.initialised = True
            self.pool.report_init(time.monotonic() - self._spawned)
        while not self.exited and not self.pool.stopped:
            invocation = self.pool.take(self, connected)
            if invocation is not None:
                return invocation
        return None

    def kill(self, because: str) -> None:
        if self._process is not None and self._process.poll() is None:
            self.killed_because = self.killed_because or because
            self._process.kill()

    def _supervise(self, process: subprocess.Popen) -> None:
        status = process.wait()
        self.pool.exited(self, status)
        self._server.shutdown()
        self._server.server_close()
