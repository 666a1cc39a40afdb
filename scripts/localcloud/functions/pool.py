"""The execution environments of one function: invocations wait in a queue for an idle one,
environments start on demand up to the function's concurrency, and one whose process exits is
replaced at once; each invocation fails as Lambda fails it (timeout, crash, init error).

An environment whose process dies while idle takes no more invocations: its exit wakes it
from waiting, and an invocation is handed over only while its runtime client's connection is
open. One that dies in the very instant it is handed an invocation, before reading it, gives
it back (the unread data resets the connection), and another environment takes it; one that
dies after reading it fails it (Runtime.ExitError), as Lambda does.
"""

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from scripts.localcloud import system
from scripts.localcloud.functions import reports
from scripts.localcloud.functions.environment import ExecutionEnvironment
from scripts.localcloud.functions.invocation import Invocation, InvokeResult, error_payload
from scripts.localcloud.xray.header import TraceHeader, new_segment_id

INIT_TIMEOUT = 10.0  # seconds Lambda allows for a function's init phase
LogSink = Callable[[str, str], None]  # (function name, line)
TraceSink = Callable[[dict], None]  # takes an X-Ray segment document
Notify = Callable[[str], None]  # a line for the console


class PoolStopped(Exception):
    """The pool was stopped (or replaced by a new one) before it took the invocation."""


class FunctionPool:
    """The execution environments of one function, started on demand up to its concurrency."""

    def __init__(
        self,
        function: system.Function,
        package_dir: Path,
        environment: dict[str, str],
        log: LogSink,
        trace: TraceSink | None = None,
        notify: Notify | None = None,
    ):
        self.function = function
        self.package_dir = package_dir
        self.environment = environment
        self.stopped = False
        self.init_durations: list[float] = []
        self.init_failures: list[bytes] = []
        self._log = log
        self._trace = trace
        self._notify = notify or (lambda _: None)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # pending, environments or their state changed
        self._pending: deque[Invocation] = deque()
        self._environments: set[ExecutionEnvironment] = set()
        self._stopped_environments: list[ExecutionEnvironment] = []
        self._starting = 0  # asked for, not yet initialised
        self._spawn_requests: queue.Queue[bool] = queue.Queue()  # False stops the spawner
        # Environments are started from this one long-lived thread: the child's parent-death
        # signal fires when the thread that started it exits, not only when the process does.
        self._spawner = threading.Thread(target=self._spawn_loop, daemon=True)

    def log(self, line: str) -> None:
        self._log(self.function.name, line)

    def start(self, warm: int = 1) -> None:
        self._spawner.start()
        with self._lock:
            for _ in range(warm):
                self._request_environment()

    def pids(self) -> list[int]:
        """The processes of the live environments."""
        with self._lock:
            return sorted(e.pid for e in self._environments if e.pid and not e.exited)

    def wait_initialised(self, timeout: float) -> bool:
        """Waits for the first environment to finish its init (or fail it); True when it succeeded."""
        with self._changed:
            self._changed.wait_for(lambda: self.init_durations or self.init_failures, timeout=timeout)
            return bool(self.init_durations)

    # Called by the environments.

    def register(self, environment: ExecutionEnvironment) -> None:
        with self._lock:
            self._environments.add(environment)

    def report_init(self, seconds: float) -> None:
        with self._changed:
            self._starting -= 1
            self.init_durations.append(seconds)
            self._changed.notify_all()
        self.log(reports.init_report(seconds))

    def take(self, environment: ExecutionEnvironment, connected: Callable[[], bool]) -> Invocation | None:
        """Blocks an idle environment until an invocation comes, its process exits or a short
        wait passes. The invocation is handed over only while the runtime client listens."""
        with self._changed:
            self._changed.wait_for(lambda: self._pending or environment.exited or self.stopped, timeout=1)
            if environment.exited or self.stopped or not self._pending:
                return None
            if not connected():  # died while idle: its exit is about to be reaped
                environment.exited = True
                return None
            invocation = self._pending.popleft()
            invocation.started = time.time()
            environment.current = invocation
            invocation.taken.set()
            return invocation

    def complete(self, environment: ExecutionEnvironment, request_id: str, body: bytes, error: bool) -> None:
        with self._changed:
            invocation = environment.current
            if invocation is None or invocation.request_id != request_id:
                return
            environment.current = None
            self._changed.notify_all()
        invocation.finish(body, error)

    def exited(self, environment: ExecutionEnvironment, status: int) -> None:
        """An environment's process exited: fail what it held, and replace it at once."""
        with self._changed:
            environment.exited = True
            self._environments.discard(environment)
            invocation = environment.current
            self._changed.notify_all()
        # Died in the instant it was handed an invocation, before reading it: another one takes it.
        unread = invocation is not None and environment.never_read(invocation)
        with self._changed:
            environment.current = None
            failed_init = not environment.initialised
            if failed_init:
                self._starting -= 1
            if unread and invocation is not None and not invocation.done.is_set():
                self._pending.appendleft(invocation)
                invocation = None
            self._changed.notify_all()
        if invocation is not None:
            message = (
                f"RequestId: {invocation.request_id} Error: Runtime exited with error: exit status {status}"
            )
            invocation.finish(error_payload("Runtime.ExitError", message), error=True)
        if self.stopped:
            return
        if failed_init:
            self._failed_init(environment)
        else:
            held = "while idle" if invocation is None else f"during invocation {invocation.request_id}"
            cause = environment.killed_because or f"exited with status {status} {held}"
            self._notify(
                f"{self.function.name}: execution environment (pid {environment.pid}) {cause}; replaced"
            )
            with self._lock:
                self._request_environment()
        self._scale()

    def _failed_init(self, environment: ExecutionEnvironment) -> None:
        error = environment.init_error or error_payload("Runtime.InitError", "The function failed to start")
        with self._changed:
            self.init_failures.append(error)
            waiting = self._pending.popleft() if self._pending else None
            self._changed.notify_all()
        if waiting is not None:  # Lambda fails the invocation that waited for the broken init
            waiting.finish(error, error=True)
        self._notify(f"{self.function.name}: init failed: {error.decode(errors='replace')[:300]}")

    # Invocations.

    def invoke(self, payload: bytes, trace_header: str | None = None) -> InvokeResult:
        """Runs one invocation; with a trace header, records the function's segment in it, as
        Lambda does, and hands the function that segment as its parent. PoolStopped if the pool
        stopped before the invocation was queued."""
        caller = TraceHeader.parse(trace_header)
        segment_id = new_segment_id()
        own_header = str(TraceHeader(caller.root, segment_id, caller.sampled)) if caller else None
        started_at = time.time()
        invocation = Invocation(payload, own_header)
        with self._changed:
            if self.stopped:
                raise PoolStopped(self.function.name)
            self._pending.append(invocation)
            self._changed.notify_all()
        self._scale()
        started = time.monotonic()
        self._await(invocation)
        duration = (time.monotonic() - started) * 1000
        if self._trace and caller and caller.sampled:
            self._trace(
                reports.function_segment(
                    self.function, segment_id, caller, started_at, invocation.request_id, invocation.error
                )
            )
        self.log(reports.invocation_report(self.function, invocation.request_id, invocation.error, duration))
        return InvokeResult(invocation.request_id, invocation.result, invocation.error, duration)

    def _await(self, invocation: Invocation) -> None:
        timeout = self.function.timeout
        if not invocation.taken.wait(INIT_TIMEOUT + timeout):
            with self._lock:
                abandoned = invocation in self._pending
                if abandoned:
                    self._pending.remove(invocation)
            if abandoned:
                invocation.finish(
                    error_payload("Runtime.Unavailable", "No execution environment became ready"), True
                )
        if not invocation.done.wait(timeout):
            message = f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S.%fZ} {invocation.request_id} Task timed out"
            if invocation.finish(
                error_payload("Sandbox.Timedout", f"{message} after {timeout} seconds"), True
            ):
                with self._lock:
                    holders = [e for e in self._environments if e.current is invocation]
                for environment in holders:
                    environment.kill(
                        f"was stopped: invocation {invocation.request_id} timed out after {timeout} s"
                    )
        invocation.done.wait()

    # Scaling.

    def _request_environment(self) -> None:
        """Called with the lock held."""
        self._starting += 1
        self._spawn_requests.put(True)

    def _spawn_loop(self) -> None:
        while self._spawn_requests.get() and not self.stopped:
            ExecutionEnvironment(self)

    def _scale(self) -> None:
        with self._lock:
            if self.stopped:
                return
            ready = [e for e in self._environments if e.initialised and not e.exited]
            capacity = sum(1 for e in ready if e.current is None) + self._starting
            if len(self._pending) > capacity and len(ready) + self._starting < self.function.max_concurrency:
                self._request_environment()

    # Stopping.

    def drain(self, timeout: float) -> None:
        """Lets the queued and running invocations finish (for at most `timeout` seconds), then
        stops: for a pool that a new one replaced."""
        with self._changed:
            self._changed.wait_for(
                lambda: not self._pending and all(e.current is None for e in self._environments),
                timeout=timeout,
            )
        self.stop()

    def stop(self) -> None:
        with self._changed:
            self.stopped = True
            environments = self._stopped_environments = list(self._environments)
            abandoned, self._pending = list(self._pending), deque()
            self._changed.notify_all()
        self._spawn_requests.put(False)
        for invocation in abandoned:
            invocation.finish(error_payload("Runtime.Unavailable", "The function was stopped"), True)
        for environment in environments:
            environment.kill("the function stopped")

    def flush_logs(self, timeout: float = 2) -> None:
        """After stop(): waits until what the stopped processes wrote is in the log."""
        for environment in self._stopped_environments:
            environment.join_logs(timeout)
