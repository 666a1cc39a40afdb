"""Lambda functions on this machine, run as Lambda runs them.

Each execution environment is a process running `awslambdaric` on the function's built
package (its zip, extracted), with only the Lambda runtime's own packages beside it, and a
Lambda Runtime API of its own that hands it one invocation at a time. Environments start on
demand up to the function's concurrency, and a crashed or timed-out one is replaced.
"""

import contextlib
import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scripts import lambda_python
from scripts.localcloud import system
from scripts.localcloud.tracing import TraceHeader, new_segment_id
from scripts.localcloud.xray import segment

RUNTIME_API = "/2018-06-01/runtime"
INIT_TIMEOUT = 10.0  # seconds Lambda allows for a function's init phase
LogSink = Callable[[str, str], None]  # (function name, line)
TraceSink = Callable[[dict], None]  # takes an X-Ray segment document


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
        self.taken = threading.Event()
        self.done = threading.Event()
        self.cancelled = False
        self.started = 0.0
        self.result = b""
        self.error = False
        self._lock = threading.Lock()

    def finish(self, result: bytes, error: bool) -> bool:
        """Records the outcome once; later outcomes (a crash after a timeout) are ignored."""
        with self._lock:
            if self.done.is_set():
                return False
            self.result, self.error = result, error
            self.done.set()
            return True


def error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode()


class _RuntimeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: "_RuntimeApiServer"

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
        invocation = self.server.environment.next_invocation()
        if invocation is None:  # shutting down
            return self._reply(500, b'{"errorMessage": "shutting down"}')
        function = self.server.environment.function
        deadline = int((invocation.started + function.timeout) * 1000)
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline),
            "Lambda-Runtime-Invoked-Function-Arn": function_arn(function.name),
        }
        if invocation.trace_header:
            headers["Lambda-Runtime-Trace-Id"] = invocation.trace_header
        self._reply(200, invocation.payload, headers)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path[len(RUNTIME_API) :].strip("/").split("/")
        environment = self.server.environment
        if parts == ["init", "error"]:
            environment.init_error = body
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            environment.complete(parts[1], body, error=parts[2] == "error")
        else:
            return self._reply(404)
        self._reply(202, b'{"status": "OK"}', {"Content-Type": "application/json"})


class _RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away is no error
            super().handle_error(request, client_address)

    def __init__(self, environment: "ExecutionEnvironment"):
        super().__init__(("127.0.0.1", 0), _RuntimeApiHandler)
        self.environment = environment


def function_arn(function_name: str) -> str:
    return f"arn:aws:lambda:{system.REGION}:{system.ACCOUNT}:function:{function_name}"


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
        self._server = _RuntimeApiServer(self)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        environment = {**pool.environment, "AWS_LAMBDA_RUNTIME_API": f"{host}:{port}"}
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = (
            f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        )
        self._process = subprocess.Popen(
            # -S: no site-packages, so the function sees only its package and the runtime's.
            [str(lambda_python.local().path), "-S", "-m", "awslambdaric", self.function.handler],
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


class FunctionPool:
    """The execution environments of one function, started on demand up to its concurrency."""

    def __init__(
        self,
        function: system.Function,
        package_dir: Path,
        environment: dict[str, str],
        log: LogSink,
        trace: TraceSink | None = None,
    ):
        self.function = function
        self._trace = trace
        self.package_dir = package_dir
        self.environment = environment
        self.stopped = False
        self._log = log
        self._queue: queue.Queue[Invocation] = queue.Queue()
        self._lock = threading.Lock()
        self._environments: set[ExecutionEnvironment] = set()
        self._starting = 0  # asked for, not yet initialised
        self._spawn_requests: queue.Queue[bool] = queue.Queue()  # False stops the spawner
        # Environments are started from this one long-lived thread: the child's parent-death
        # signal fires when the thread that started it exits, not only when the process does.
        self._spawner = threading.Thread(target=self._spawn_loop, daemon=True)
        self.init_durations: list[float] = []

    def log(self, line: str) -> None:
        self._log(self.function.name, line)

    def start(self, warm: int = 1) -> None:
        self._spawner.start()
        with self._lock:
            for _ in range(warm):
                self._request_environment()

    def _request_environment(self) -> None:
        """Called with the lock held."""
        self._starting += 1
        self._spawn_requests.put(True)

    def _spawn_loop(self) -> None:
        while self._spawn_requests.get() and not self.stopped:
            ExecutionEnvironment(self)

    def register(self, environment: ExecutionEnvironment) -> None:
        with self._lock:
            self._environments.add(environment)

    def _scale(self) -> None:
        with self._lock:
            if self.stopped:
                return
            ready = [e for e in self._environments if e.initialised]
            capacity = sum(1 for e in ready if e.current is None) + self._starting
            if self._queue.qsize() > capacity and len(ready) + self._starting < self.function.max_concurrency:
                self._request_environment()

    def report_init(self, seconds: float) -> None:
        with self._lock:
            self._starting -= 1
            self.init_durations.append(seconds)
        self._platform_log(
            "platform.initReport", {"initializationType": "on-demand", "durationMs": seconds * 1000}
        )

    def take(self, environment: ExecutionEnvironment) -> Invocation | None:
        """Blocks an idle environment until an invocation comes (or a short wait passes)."""
        try:
            invocation = self._queue.get(timeout=0.25)
        except queue.Empty:
            return None
        if invocation.cancelled:
            return None
        invocation.started = time.time()
        environment.current = invocation
        invocation.taken.set()
        return invocation

    def retire(self, environment: ExecutionEnvironment, failed_init: bool) -> None:
        with self._lock:
            self._environments.discard(environment)
            if failed_init:
                self._starting -= 1
        if failed_init and not self.stopped:
            # Lambda fails the invocation that waited for the broken init.
            error = environment.init_error or error_payload(
                "Runtime.InitError", "The function failed to start"
            )
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait().finish(error, error=True)
        self._scale()

    def invoke(self, payload: bytes, trace_header: str | None = None) -> InvokeResult:
        """Runs one invocation; with a trace header, records the function's segment in it, as
        Lambda does, and hands the function that segment as its parent."""
        caller = TraceHeader.parse(trace_header)
        segment_id = new_segment_id()
        own_header = str(TraceHeader(caller.root, segment_id, caller.sampled)) if caller else None
        started_at = time.time()
        invocation = Invocation(payload, own_header)
        self._queue.put(invocation)
        self._scale()
        started = time.monotonic()
        timeout = self.function.timeout
        if not invocation.taken.wait(INIT_TIMEOUT + timeout):
            invocation.cancelled = True
            invocation.finish(
                error_payload("Runtime.Unavailable", "No execution environment became ready"), True
            )
        elif not invocation.done.wait(timeout):
            message = f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S.%fZ} {invocation.request_id} Task timed out"
            if invocation.finish(
                error_payload("Sandbox.Timedout", f"{message} after {timeout} seconds"), True
            ):
                with self._lock:
                    holders = [e for e in self._environments if e.current is invocation]
                for environment in holders:
                    environment.kill()
        invocation.done.wait()
        duration = (time.monotonic() - started) * 1000
        if self._trace and caller and caller.sampled:
            document = segment(
                self.function.name,
                segment_id,
                caller.root,
                started_at,
                "AWS::Lambda::Function",
                parent_id=caller.parent,
                aws={"request_id": invocation.request_id, "function_arn": function_arn(self.function.name)},
            )
            self._trace(document | ({"fault": True} if invocation.error else {}))
        self._platform_log(
            "platform.report",
            {
                "requestId": invocation.request_id,
                "status": "error" if invocation.error else "success",
                "metrics": {"durationMs": round(duration, 2), "memorySizeMB": self.function.memory},
            },
        )
        return InvokeResult(invocation.request_id, invocation.result, invocation.error, duration)

    def _platform_log(self, kind: str, record: dict) -> None:
        self.log(json.dumps({"time": datetime.now(UTC).isoformat(), "type": kind, "record": record}))

    def stop(self) -> None:
        self.stopped = True
        self._spawn_requests.put(False)
        with self._lock:
            environments = list(self._environments)
        for environment in environments:
            environment.kill()


def runtime_environment(
    function: system.Function,
    package_dir: Path,
    runtime_dir: Path,
    aws_endpoint: str,
    xray_daemon: str | None,
) -> dict[str, str]:
    """The environment variables Lambda sets, plus the function's own, pointed at the local cloud."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "PYTHONPATH": f"{package_dir}{os.pathsep}{runtime_dir}",
        "PYTHONUNBUFFERED": "1",
        "LAMBDA_TASK_ROOT": str(package_dir),
        "LAMBDA_RUNTIME_DIR": str(runtime_dir),
        "_HANDLER": function.handler,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "AWS_LAMBDA_LOG_LEVEL": "INFO",
        "AWS_REGION": system.REGION,
        "AWS_DEFAULT_REGION": system.REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": aws_endpoint,
        **function.environment,
    }
    if xray_daemon:
        environment["AWS_XRAY_DAEMON_ADDRESS"] = xray_daemon
    return environment
