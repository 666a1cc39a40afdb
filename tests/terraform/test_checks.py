"""The Terraform checks that run without providers: fmt, tf-schema-check and checkov."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600  # seconds


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def _schema_checker() -> Path | None:
    candidates = [
        os.environ.get("TF_SCHEMA_CHECK"),
        REPO.parent / "shared/tools/tf-schema-check",
        "/work/shared/tools/tf-schema-check",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def test_terraform_fmt():
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: `terraform fmt -check` not run")
    result = _run([terraform, "fmt", "-check", "-recursive", "-diff", "terraform", "tests/terraform"])
    assert result.returncode == 0, "terraform fmt -check failed (run `make fmt`):\n" + _output(result)


def test_tf_schema_check():
    tool = _schema_checker()
    if tool is None:
        pytest.skip(
            "tf-schema-check not found: set TF_SCHEMA_CHECK, or put it at ../shared/tools/tf-schema-check"
        )
    result = _run([sys.executable, str(tool), "terraform"])
    assert result.returncode == 0 and " 0 problems" in f" {result.stdout}", (
        "tf-schema-check found problems against the hashicorp/aws schema:\n" + _output(result)
    )


def test_checkov():
    checkov = REPO / ".venv-checkov/bin/checkov"
    if not checkov.is_file():
        pytest.skip(f"{checkov.relative_to(REPO)} not found: run `make .venv-checkov/.installed`")
    # --skip-download: no Prisma Cloud calls (this machine is offline; results are the same).
    result = _run(
        [
            str(checkov),
            "-d",
            "terraform",
            "--framework",
            "terraform",
            "--quiet",
            "--compact",
            "--skip-download",
        ]
    )
    assert result.returncode == 0, "checkov failed (fix, or skip inline with a reason):\n" + _output(result)
