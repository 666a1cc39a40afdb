"""A second `make run` beside a running local cloud refuses in one line, naming the port and the
variable to change, before it touches anything: the running one keeps its state and answers."""

import subprocess
import sys

import pytest

from scripts.localcloud import process, system
from tests.e2e.conftest import eventually


def second_run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts.localcloud", *arguments],
        cwd=system.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def state_of(cloud) -> tuple:
    """The running cloud's state directory: its files (their contents), its packages, its logs."""
    files = {p.name: p.read_bytes() for p in cloud.state.iterdir() if p.name in ("endpoints.json", "lock")}
    return (
        files,
        sorted(p.name for p in (cloud.state / "functions").iterdir()),
        sorted(p.name for p in (cloud.state / "logs").iterdir()),
    )


def assert_refused(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_the_same_port_and_state_directory_are_refused_and_left_alone(cloud, http):
    """Before: the second run emptied the running one's logs, traces and packages, then died of
    an OSError traceback."""
    traces = cloud.state / "traces.jsonl"
    http.get("/product", params={"limit": 1})
    eventually(traces.exists)
    before, traced = state_of(cloud), traces.read_bytes()
    port = port_of(cloud.api)
    result = second_run("--port", str(port), "--aws-port", "0", "--state-dir", str(cloud.state))
    assert_refused(result, f"already runs on port {port}", "PORT=")
    assert state_of(cloud) == before and traces.read_bytes().startswith(traced)
    assert http.get("/product", params={"limit": 1}).status_code == 200


def test_a_taken_api_port_is_refused_before_anything_is_made(cloud, tmp_path):
    port = port_of(cloud.api)
    result = second_run("--port", str(port), "--aws-port", "0", "--state-dir", str(tmp_path / "other"))
    assert_refused(result, f"Port {port} (the APIs) is taken", "PORT=")
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == ["lock"]


def test_a_taken_aws_port_is_refused_naming_aws_port(cloud, tmp_path):
    aws_port = port_of(cloud.aws)
    result = second_run(
        "--port",
        str(process.free_port()),
        "--aws-port",
        str(aws_port),
        "--state-dir",
        str(tmp_path / "other"),
    )
    assert_refused(result, f"Port {aws_port} (the embedded AWS) is taken", "AWS_PORT=")


@pytest.mark.parametrize("variable", ["PORT", "AWS_PORT"])
def test_make_run_takes_its_ports_from_the_environment(variable, monkeypatch):
    from scripts.localcloud.__main__ import arguments

    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("AWS_PORT", raising=False)
    defaults = arguments([])
    assert (defaults.port, defaults.aws_port) == (3000, 4566)
    monkeypatch.setenv(variable, "3999")
    chosen = arguments([])
    assert (chosen.port if variable == "PORT" else chosen.aws_port) == 3999
