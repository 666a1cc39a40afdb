"""Finding Lambda's Python: fake interpreters on PATH and under a pyenv root."""

import stat
from pathlib import Path

import pytest

from scripts import lambda_python


def fake_python(path: Path, version: str | None) -> Path:
    """An executable that answers the probe as a Python `version` would, or fails as pyenv's shim."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (
        f'echo {version}; echo "$0"'
        if version
        else "echo 'pyenv: python3.13: command not found' >&2; exit 127"
    )
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def world(tmp_path, monkeypatch):
    for cached in (lambda_python.find, lambda_python.require, lambda_python.local):
        cached.cache_clear()
    monkeypatch.delenv("LAMBDA_PYTHON", raising=False)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    (tmp_path / "bin").mkdir()
    yield tmp_path
    for cached in (lambda_python.find, lambda_python.require, lambda_python.local):
        cached.cache_clear()


def test_a_python313_on_path_is_taken(world):
    fake_python(world / "bin" / "python3.13", "3.13.5")
    found = lambda_python.require()
    assert (found.path, found.version) == (world / "bin" / "python3.13", "3.13.5")


def test_a_failing_shim_on_path_is_passed_over_for_pyenvs_newest_313(world):
    fake_python(world / "bin" / "python3.13", None)
    fake_python(world / "pyenv/versions/3.13.2/bin/python3.13", "3.13.2")
    fake_python(world / "pyenv/versions/3.13.10/bin/python3.13", "3.13.10")
    fake_python(world / "pyenv/versions/3.12.1/bin/python3.13", "3.12.1")
    assert lambda_python.require().version == "3.13.10"


def test_an_interpreter_of_another_version_does_not_count(world):
    fake_python(world / "bin" / "python3.13", "3.12.7")
    assert lambda_python.find() is None


def test_lambda_python_names_the_interpreter_and_nothing_else_is_tried(world, monkeypatch):
    fake_python(world / "bin" / "python3.13", "3.13.1")
    monkeypatch.setenv("LAMBDA_PYTHON", str(fake_python(world / "elsewhere" / "python", "3.11.7")))
    with pytest.raises(lambda_python.NoLambdaPython) as refused:
        lambda_python.require()
    assert str(world / "elsewhere" / "python") in str(refused.value)


def test_without_one_the_message_says_how_to_get_one(world):
    with pytest.raises(lambda_python.NoLambdaPython) as refused:
        lambda_python.require()
    message = str(refused.value)
    assert "pyenv install 3.13" in message and "LAMBDA_PYTHON" in message


def test_the_local_cloud_runs_the_functions_on_the_python313_found_and_says_so(world):
    fake_python(world / "bin" / "python3.13", "3.13.4")
    assert lambda_python.local().path == world / "bin" / "python3.13"
    summary = lambda_python.local_summary()
    assert (
        summary.startswith("Functions run on Python 3.13.4") and "Lambda runs python3.13 on arm64" in summary
    )


def test_without_one_the_local_cloud_falls_back_to_this_interpreter_and_says_so(world):
    assert lambda_python.local() == lambda_python.this_interpreter()
    summary = lambda_python.local_summary()
    assert "no python3.13 found" in summary and "Lambda runs python3.13 on arm64" in summary
