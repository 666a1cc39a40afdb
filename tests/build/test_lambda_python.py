"""Finding Lambda's Python: fake interpreters on PATH and under a pyenv root."""

import stat
from pathlib import Path

import pytest

from scripts import lambda_python


def fake_python(path: Path, version: str | None) -> Path:
    """An executable that answers the probe as a Python `version` would, or fails as pyenv's shim."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = f"echo {version}" if version else "echo 'pyenv: python3.13: command not found' >&2; exit 127"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def world(tmp_path, monkeypatch):
    lambda_python.find.cache_clear()
    lambda_python.require.cache_clear()
    monkeypatch.delenv("LAMBDA_PYTHON", raising=False)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    (tmp_path / "bin").mkdir()
    yield tmp_path
    lambda_python.find.cache_clear()
    lambda_python.require.cache_clear()


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
