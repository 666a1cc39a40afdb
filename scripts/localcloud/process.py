"""The local cloud in a process of its own, as `make run` starts it (for tests and benchmarks)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.localcloud import system


@dataclass
class RunningCloud:
    api: str
    aws: str
    state: Path
    process: subprocess.Popen
    output: Path  # its console

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C, then the exit status."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(state: Path, *arguments: str, timeout: float = 240) -> RunningCloud:
    """Starts the local cloud on a free port and waits until it is ready (a first run builds
    the packages and installs the runtime, hence the long timeout)."""
    state.mkdir(parents=True, exist_ok=True)
    output = state / "console.log"
    command = [
        sys.executable,
        "-m",
        "scripts.localcloud",
        "--port",
        str(free_port()),
        "--state-dir",
        str(state),
    ]
    with output.open("w") as sink:
        process = subprocess.Popen(
            [*command, *arguments], cwd=system.ROOT, stdout=sink, stderr=subprocess.STDOUT, env=os.environ
        )
    deadline = time.monotonic() + timeout
    while "Local cloud ready" not in output.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the local cloud did not start:\n{output.read_text()}")
        time.sleep(0.05)
    endpoints = json.loads((state / "endpoints.json").read_text())
    return RunningCloud(endpoints["api"], endpoints["aws"], state, process, output)
