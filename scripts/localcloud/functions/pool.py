"""The execution environments of one function: invocations wait in a queue for an idle one,
environments start on demand up to the function's concurrency, and a crashed or timed-out
one is replaced; each invocation fails as Lambda fails it (timeout, crash, init error)."""

import contextlib
import json
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from scripts.localcloud import system
from scripts.localcloud.functions.environment import ExecutionEnvironment
from scripts.localcloud.functions.invocation import Invocation, InvokeResult, error_payload
from scripts.localcloud.functions.variables import function_arn
from scripts.localcloud.xray.header import TraceHeader, new_segment_id
from scripts.localcloud.xray.segments import segment

INIT_TIMEOUT = 10.0  # seconds Lambda allows for a function's init phase
LogSink = Callable[[str, str], None]  # (function name, line)
TraceSink = Callable[[dict], None]  # takes an X-Ray segment document


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
