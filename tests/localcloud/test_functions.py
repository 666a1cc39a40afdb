"""The local Lambda runtime: execution environments under awslambdaric, scaled on demand,
replaced after a crash or a timeout, and failing invocations as Lambda does."""

import json
import os
import select
import signal
import socket
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from scripts.localcloud import system
from scripts.localcloud.functions.pool import FunctionPool
from scripts.localcloud.functions.runtime import ensure_runtime
from scripts.localcloud.functions.runtime_api import peer_open
from scripts.localcloud.functions.variables import runtime_environment

HANDLER = """
import os, time

def handler(event, context):
    if event.get("crash"):
        os._exit(3)
    time.sleep(event.get("sleep", 0))
    return {"pid": os.getpid(), "trace": os.environ.get("_X_AMZN_TRACE_ID")}
"""


@pytest.fixture(scope="module")
def runtime():
    return ensure_runtime()


def pool_for(tmp_path, runtime, source=HANDLER, timeout=5, concurrency=4) -> FunctionPool:
    package = tmp_path / "package"
    package.mkdir()
    (package / "sample.py").write_text(textwrap.dedent(source))
    function = system.Function(
        "sample", "sample", "sample.handler", timeout, 128, max_concurrency=concurrency
    )
    environment = runtime_environment(function, package, runtime, "http://127.0.0.1:9", None)
    return FunctionPool(function, package, environment, log=lambda *_: None)


def invoke(pool, **event):
    result = pool.invoke(json.dumps(event).encode(), "Root=1-6b000000-0123456789abcdef01234567;Sampled=1")
    return json.loads(result.payload), result.error


@pytest.fixture
def pool(tmp_path, runtime):
    pool = pool_for(tmp_path, runtime)
    pool.start()
    yield pool
    pool.stop()


def test_concurrent_invocations_scale_up_and_the_environments_stay(pool):
    with ThreadPoolExecutor(4) as burst:
        first = list(burst.map(lambda _: invoke(pool, sleep=1), range(4)))
    time.sleep(1)  # environments started by short-lived threads must outlive them
    with ThreadPoolExecutor(4) as burst:
        second = list(burst.map(lambda _: invoke(pool, sleep=1), range(4)))
    assert not any(error for _, error in first + second)
    assert len({payload["pid"] for payload, _ in first}) == 4
    assert {payload["pid"] for payload, _ in second} == {payload["pid"] for payload, _ in first}
    assert len(pool.init_durations) == 4


def test_the_function_gets_its_own_segment_as_trace_parent(pool):
    payload, _ = invoke(pool)
    assert payload["trace"].startswith("Root=1-6b000000-0123456789abcdef01234567;Parent=")


def test_a_crash_fails_the_invocation_and_a_new_environment_takes_over(pool):
    payload, error = invoke(pool, crash=True)
    assert (
        error and payload["errorType"] == "Runtime.ExitError" and "exit status 3" in payload["errorMessage"]
    )
    assert invoke(pool)[1] is False


def test_a_timeout_fails_the_invocation_and_kills_its_environment(tmp_path, runtime):
    pool = pool_for(tmp_path, runtime, timeout=1)
    pool.start()
    try:
        slow_pid = invoke(pool)[0]["pid"]
        payload, error = invoke(pool, sleep=5)
        assert error and payload["errorType"] == "Sandbox.Timedout"
        after, error = invoke(pool)
        assert not error and after["pid"] != slow_pid
    finally:
        pool.stop()


def test_an_init_error_fails_the_invocation(tmp_path, runtime):
    pool = pool_for(tmp_path, runtime, source="raise RuntimeError('broken at import')\n")
    pool.start()
    try:
        payload, error = invoke(pool)
        assert error and "broken at import" in json.dumps(payload)
    finally:
        pool.stop()


def wait_for(check, timeout: float = 30):
    """`check()` once it is truthy (polling), or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"not true after {timeout} s: {check.__doc__}"
        time.sleep(0.02)
    return result


def test_an_environment_that_dies_while_idle_is_replaced_and_the_next_invocation_succeeds(tmp_path, runtime):
    """Before: the dead environment's Runtime API took the next invocation, which hung until the
    function timed out (Sandbox.Timedout). With a 30 s timeout, an error here is that hang."""
    lines = []
    pool = pool_for(tmp_path, runtime, timeout=30)
    pool._notify = lines.append
    pool.start()
    try:
        assert pool.wait_initialised(30)
        (first,) = pool.pids()
        os.kill(first, signal.SIGKILL)

        def replaced():
            """a new process replaced the killed one"""
            return [pid for pid in pool.pids() if pid != first]

        (second,) = wait_for(replaced)
        payload, error = invoke(pool)
        assert not error and payload["pid"] == second
        assert lines == [
            f"sample: execution environment (pid {first}) exited with status -9 while idle; replaced"
        ]
    finally:
        pool.stop()


def test_an_invocation_right_after_a_death_goes_to_a_live_environment(tmp_path, runtime):
    """Invoked at once after the kill, while the process is still being torn down: either the
    Runtime API sees the closed connection, or the invocation it sent comes back unread (the
    dying process resets the connection) and another environment takes it."""
    pool = pool_for(tmp_path, runtime, timeout=30)
    pool.start()
    try:
        for _ in range(5):
            wait_for(lambda: [e for e in pool._environments if e.initialised and not e.exited])
            killed = pool.pids()
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            payload, error = invoke(pool)
            assert not error and payload["pid"] not in killed, payload
    finally:
        pool.stop()


def test_the_runtime_api_sees_when_a_runtime_client_is_gone():
    """A process that dies closes its connection at once, before its exit is reaped: an idle
    environment whose connection is closed is not handed an invocation."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client = socket.create_connection(server.getsockname())
        connection, _ = server.accept()
        with connection:
            assert peer_open(connection)
            client.close()
            select.select([connection], [], [], 5)
            assert not peer_open(connection)


def test_a_drained_pool_finishes_the_invocations_it_holds_then_stops(tmp_path, runtime):
    pool = pool_for(tmp_path, runtime)
    pool.start()
    with ThreadPoolExecutor(2) as running:
        slow = running.submit(invoke, pool, sleep=1)
        wait_for(lambda: any(e.current for e in pool._environments))
        draining = running.submit(pool.drain, 30)
        assert slow.result() == (slow.result()[0], False)
        draining.result()
    assert pool.stopped
    wait_for(lambda: not pool.pids())
