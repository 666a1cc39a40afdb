"""The local cloud in a process of its own, as `make run` starts it (for tests and benchmarks)."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.localcloud import instance, system

READY = "Ctrl-C to stop"  # how the last line `make run` prints at start begins
STACKS_SHOWN = 600  # console lines shown when the cloud does not stop: every thread's stack


@dataclass
class RunningCloud:
    api: str
    aws: str
    state: Path
    process: subprocess.Popen
    output: Path  # its console

    def console_since(self, mark: int) -> str:
        """What its console says after byte `mark` (the console's size when marked)."""
        return self.output.read_bytes()[mark:].decode(errors="replace")

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C, then the exit status. A cloud still running `timeout` seconds later is asked
        for its threads' stacks (SIGUSR1, interrupt.py), killed, and the error shows them."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGUSR1)
            time.sleep(1)
            self.process.kill()
            self.process.wait()
            said = self.output.read_text(errors="replace").splitlines()[-STACKS_SHOWN:]
            raise RuntimeError(
                f"the local cloud did not stop in {timeout:g} s after Ctrl-C; its console ends:\n"
                + "\n".join(said)
            ) from None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(state: Path, *arguments: str, timeout: float = 240, root: Path = system.ROOT) -> RunningCloud:
    """Starts the local cloud on free ports (its APIs' and its AWS's) with `state` as its state
    directory, and waits until it is ready (a first run builds the packages and installs the
    runtime, hence the long timeout). `root`: the checkout it runs from. Its console goes to
    `state`/console.log, appended to from one start to the next."""
    state.mkdir(parents=True, exist_ok=True)
    output = state / "console.log"
    command = [
        sys.executable,
        "-m",
        "scripts.localcloud",
        "--port",
        str(free_port()),
        "--aws-port",
        "0",
        "--state-dir",
        str(state),
    ]
    offset = output.stat().st_size if output.exists() else 0
    with output.open("a") as sink:
        process = subprocess.Popen(
            [*command, *arguments], cwd=root, stdout=sink, stderr=subprocess.STDOUT, env=os.environ
        )
    deadline = time.monotonic() + timeout
    while READY.encode() not in output.read_bytes()[offset:]:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"the local cloud did not start:\n{output.read_bytes()[offset:].decode(errors='replace')}"
            )
        time.sleep(0.05)
    endpoints = instance.endpoints(state)
    assert endpoints is not None  # written before the cloud says it is ready
    return RunningCloud(endpoints["api"], endpoints["aws"], state, process, output)
