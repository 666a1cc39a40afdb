"""The local Lambda runtime: execution environments under awslambdaric, scaled on demand,
replaced after a crash or a timeout, and failing invocations as Lambda does."""

import json
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from scripts.localcloud import system
from scripts.localcloud.functions.pool import FunctionPool
from scripts.localcloud.functions.runtime import ensure_runtime
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
