"""One local cloud for the whole test session, started as `make run` starts it."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests

from scripts.localcloud import system

REDELIVERY_SECONDS = 2  # failed records come back after 2 s instead of 6 x the consumer timeout
STARTUP_TIMEOUT = 240  # a first run builds the packages and installs the runtime


@dataclass
class Cloud:
    api: str
    aws: str
    state: Path
    process: subprocess.Popen
    output: Path

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.aws, region_name=system.REGION)

    def log_lines(self, function: str) -> list[dict]:
        path = self.state / "logs" / f"{function}.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_cloud(state: Path, *extra: str) -> Cloud:
    port = free_port()
    output = state / "console.log"
    state.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "scripts.localcloud",
        "--port",
        str(port),
        "--state-dir",
        str(state),
        *extra,
    ]
    with output.open("w") as sink:
        process = subprocess.Popen(
            command, cwd=system.ROOT, stdout=sink, stderr=subprocess.STDOUT, env=os.environ
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while "Local cloud ready" not in output.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the local cloud did not start:\n{output.read_text()}")
        time.sleep(0.1)
    endpoints = json.loads((state / "endpoints.json").read_text())
    return Cloud(endpoints["api"], endpoints["aws"], state, process, output)


def stop_cloud(cloud: Cloud) -> int:
    cloud.process.send_signal(signal.SIGINT)
    try:
        return cloud.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        cloud.process.kill()
        raise


@pytest.fixture(scope="session")
def cloud(tmp_path_factory):
    running = start_cloud(
        tmp_path_factory.mktemp("localcloud"), "--redelivery-seconds", str(REDELIVERY_SECONDS)
    )
    yield running
    stop_cloud(running)


@pytest.fixture(scope="session")
def http(cloud):
    session = requests.Session()

    class Client:
        def request(self, method: str, path: str, **options) -> requests.Response:
            return session.request(method, cloud.api + path, timeout=30, **options)

        def get(self, path, **options):
            return self.request("GET", path, **options)

        def post(self, path, **options):
            return self.request("POST", path, **options)

        def put(self, path, **options):
            return self.request("PUT", path, **options)

        def delete(self, path, **options):
            return self.request("DELETE", path, **options)

    return Client()


def eventually(check, timeout: float = 15, interval: float = 0.1):
    """Calls `check` until it returns something truthy; returns that, or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {check.__doc__ or check}")
        time.sleep(interval)
