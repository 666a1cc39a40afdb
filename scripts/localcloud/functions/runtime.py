"""The Python runtime the functions run on locally: the interpreter of their processes, and
what the Lambda runtime provides besides a function's zip (awslambdaric, boto3), installed
for that interpreter."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from scripts import lambda_python
from scripts.localcloud import system

RUNTIME_REQUIREMENTS = Path(__file__).with_name("runtime-requirements.txt")
RUNTIME_DIR = system.ROOT / ".build" / "runtime"


def interpreter() -> str:
    """The Python that each execution environment runs (and that the runtime's packages are
    installed for): a python3.13, Lambda's version, when there is one (lambda_python.local())."""
    return str(lambda_python.local().path)


def _inputs() -> str:
    return hashlib.sha256(RUNTIME_REQUIREMENTS.read_bytes() + str(lambda_python.local()).encode()).hexdigest()


def is_installed(directory: Path = RUNTIME_DIR) -> bool:
    stamp = directory / ".inputs"
    return stamp.exists() and stamp.read_text() == _inputs()


def ensure_runtime(directory: Path = RUNTIME_DIR) -> Path:
    """Installs what the Lambda runtime provides (awslambdaric, boto3), once, for the interpreter
    that runs the functions, compiled by it as Lambda's are (this venv's pip, `--python` it)."""
    if is_installed(directory):
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            interpreter(),
            "install",
            "-qq",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(directory),
            "-r",
            str(RUNTIME_REQUIREMENTS),
        ],
        check=True,
    )
    (directory / ".inputs").write_text(_inputs())
    return directory
