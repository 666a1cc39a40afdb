"""Finds an interpreter of the Lambda runtime's Python version, as `sam build` insists on it.

Terraform declares `python3.13` (tests/build ties the two). Bytecode and compiled wheels are
tied to one minor version, so the build compiles with a python3.13 and the local cloud runs
the functions on one when there is one. Looked for, in order:
1. `LAMBDA_PYTHON`, a path, when set (then nothing else is tried);
2. `python3.13` on PATH. pyenv's shim is on PATH whether or not 3.13 is selected and fails
   when it is not, so a candidate counts only if it runs and says it is 3.13;
3. pyenv's versions (`$PYENV_ROOT`, default ~/.pyenv), newest 3.13.x first.

`make build` requires one (`require()`). The local cloud and its build take one when there is
one and otherwise fall back to this interpreter, saying so (`local()`, `local_summary()`).
"""

import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RUNTIME = "python3.13"  # as the lambda-function module declares it
ARCHITECTURE = "arm64"
VERSION = (3, 13)
# The version, and the executable itself: a pyenv shim needs pyenv's environment, which the
# processes started with the interpreter (compilers, functions) do not get.
_PROBE = "import sys; print(sys.version.split()[0]); print(sys.executable)"


@dataclass(frozen=True)
class Interpreter:
    path: Path
    version: str  # e.g. "3.13.0"

    @property
    def minor(self) -> tuple[int, int]:
        major, minor = self.version.split(".")[:2]
        return int(major), int(minor)

    def __str__(self) -> str:
        return f"Python {self.version} ({self.path})"


class NoLambdaPython(RuntimeError):
    def __init__(self, tried: list[str]):
        super().__init__(
            f"No {RUNTIME} found (tried {', '.join(tried) or 'nothing'}). Lambda runs {RUNTIME}, and "
            f"its bytecode and wheels are built with that version only. Install one (pyenv install "
            f"3.13, or your system's python3.13 package), put it on PATH, or set LAMBDA_PYTHON to its path."
        )


def _probe(candidate: str | Path) -> Interpreter | None:
    try:
        result = subprocess.run(
            [str(candidate), "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=20,
            env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    version, _, executable = result.stdout.strip().partition("\n")
    try:
        found = Interpreter(Path(executable.strip() or candidate), version.strip())
        return found if found.minor == VERSION else None
    except ValueError:  # not a version
        return None


def _pyenv_candidates() -> list[Path]:
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    pattern = re.compile(rf"^{VERSION[0]}\.{VERSION[1]}\.(\d+)$")
    versions = [
        (int(match.group(1)), path)
        for path in (root / "versions").glob(f"{VERSION[0]}.{VERSION[1]}.*")
        if (match := pattern.match(path.name))
    ]
    return [path / "bin" / RUNTIME for _, path in sorted(versions, reverse=True)]


@functools.cache
def find() -> Interpreter | None:
    """A python3.13 that runs, or None."""
    try:
        return require()
    except NoLambdaPython:
        return None


@functools.cache
def require() -> Interpreter:
    """A python3.13 that runs; NoLambdaPython, saying how to get one, if there is none."""
    explicit = os.environ.get("LAMBDA_PYTHON")
    candidates: list[str | Path] = [explicit] if explicit else []
    if not explicit:
        if on_path := shutil.which(RUNTIME):
            candidates.append(on_path)
        candidates.extend(_pyenv_candidates())
    for candidate in candidates:
        if found := _probe(candidate):
            return found
    raise NoLambdaPython([str(c) for c in candidates])


def this_interpreter() -> Interpreter:
    return Interpreter(Path(sys.executable), sys.version.split()[0])


@functools.cache
def local() -> Interpreter:
    """The interpreter the local cloud runs the functions on: a python3.13, or this one."""
    return find() or this_interpreter()


def local_summary() -> str:
    """One console line: which Python runs the functions here, beside what Lambda runs."""
    interpreter = local()
    if interpreter.minor == VERSION:
        return f"Functions run on {interpreter}; Lambda runs {RUNTIME} on {ARCHITECTURE}"
    return (
        f"Functions run on {interpreter}: no {RUNTIME} found (pyenv install 3.13, or set "
        f"LAMBDA_PYTHON); Lambda runs {RUNTIME} on {ARCHITECTURE}"
    )
