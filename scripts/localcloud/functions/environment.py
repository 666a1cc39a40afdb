"""One execution environment: a process running `awslambdaric` on the function's package, with
a Runtime API of its own, supervised: its logs are forwarded and its exit is noticed."""

import contextlib
import ctypes
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scripts.localcloud.functions import runtime
from scripts.localcloud.functions.invocation import Invocation, error_payload
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
        self.current: Invocation | None = None
        self.initialised = False
        self._spawned = time.monotonic()
        self._process: subprocess.Popen | None = None
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
        threading.Thread(target=self._forward_logs, args=(self._process,), daemon=True).start()
        threading.Thread(target=self._supervise, args=(self._process,), daemon=True).start()
        if pool.stopped:  # stop() may have come while this process started
            self.kill()

    def _forward_logs(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.pool.log(line.decode(errors="replace").rstrip("\n"))

    def next_invocation(self) -> Invocation | None:
        if not self.initialised:
            self.initialised = True
            self.pool.report_init(time.monotonic() - self._spawned)
        while not self.pool.stopped:
            invocation = self.pool.take(self)
            if invocation is not None:
                return invocation
        return None

    def complete(self, request_id: str, body: bytes, error: bool) -> None:
        invocation = self.current
        if invocation is not None and invocation.request_id == request_id:
            self.current = None
            invocation.finish(body, error)

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _supervise(self, process: subprocess.Popen) -> None:
        status = process.wait()
        self._server.shutdown()
        self._server.server_close()
        invocation, self.current = self.current, None
        if invocation is not None:
            message = (
                f"RequestId: {invocation.request_id} Error: Runtime exited with error: exit status {status}"
            )
            invocation.finish(error_payload("Runtime.ExitError", message), error=True)
        self.pool.retire(self, failed_init=not self.initialised)
