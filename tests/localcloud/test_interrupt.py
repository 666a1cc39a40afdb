"""Ctrl-C stops the local cloud whichever of its threads the kernel hands the signal to, and
SIGUSR1 prints every thread's stack: each test runs the main thread's wait in a child process,
beside a worker thread, as `make run` does. A test's local cloud that does not stop shows its
stacks in the error."""

import os
import signal
import subprocess
import sys
import time

import pytest

from scripts.localcloud import system
from scripts.localcloud.process import RunningCloud

CHILD = """
import threading, time
from scripts.localcloud.interrupt import Interrupt

interrupt = Interrupt()
worker = threading.Thread(target=lambda: time.sleep(3600), daemon=True)
worker.start()
print(worker.native_id, flush=True)
interrupt.wait()
print("stopped", flush=True)
"""


def child() -> tuple[subprocess.Popen, int]:
    """The child process, and its worker thread's id."""
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=system.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def test_a_ctrl_c_that_the_kernel_hands_to_a_worker_thread_stops_the_wait():
    process, worker = child()
    try:
        os.kill(worker, signal.SIGINT)  # a thread's id: the signal is the process's, given to that thread
        out, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert out == "stopped\n" and process.returncode == 0


def test_sigterm_stops_the_wait_as_ctrl_c_does():
    process, _ = child()
    try:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert out == "stopped\n" and process.returncode == 0


def test_sigusr1_prints_every_threads_stack_and_keeps_waiting():
    process, _ = child()
    try:
        process.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        assert process.poll() is None  # still waiting
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert out == "stopped\n"
    assert err.count("Thread 0x") + err.count("Current thread") >= 2, err  # the main one and the worker


STUCK = """
import faulthandler, signal, time

signal.signal(signal.SIGINT, signal.SIG_IGN)
faulthandler.register(signal.SIGUSR1, all_threads=True)
print("ready", flush=True)
time.sleep(3600)
"""


def test_a_cloud_that_does_not_stop_is_killed_and_the_error_shows_its_stacks(tmp_path):
    console = tmp_path / "console.log"
    with console.open("w") as sink:
        stuck = subprocess.Popen([sys.executable, "-c", STUCK], stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while "ready" not in console.read_text():
        assert stuck.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    cloud = RunningCloud("http://127.0.0.1:1", "http://127.0.0.1:1", tmp_path, stuck, console)
    with pytest.raises(RuntimeError) as error:
        cloud.stop(timeout=1)
    assert stuck.poll() is not None  # killed
    assert "did not stop in 1 s after Ctrl-C" in str(error.value)
    assert 'File "<string>", line 7 in <module>' in str(error.value)  # its stack: in the sleep
