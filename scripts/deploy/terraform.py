"""The Terraform commands of a deploy: init with the environment's backend, plan to a file,
apply exactly that file. Each runs in the component's root; nothing asks for input."""

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.deploy.components import Target

AUTOMATION = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}


class TerraformFailed(RuntimeError):
    pass


def run(arguments: Sequence[str], directory: Path, capture: bool = False) -> str:
    """Runs terraform in `directory`, its output on the console or captured; TerraformFailed if it fails."""
    command = [os.environ.get("TERRAFORM", "terraform"), *arguments]
    result = subprocess.run(
        command,
        cwd=directory,
        env={**os.environ, **AUTOMATION},
        stdout=subprocess.PIPE if capture else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise TerraformFailed(f"`{' '.join(command)}` failed in {directory} (exit {result.returncode})")
    return result.stdout or ""


def init(target: Target) -> None:
    # -reconfigure: the same root serves every environment, each with its own state.
    run(["init", "-input=false", "-reconfigure", f"-backend-config=envs/{target.backend.name}"], target.root)


def plan(target: Target, plan_file: Path) -> Path:
    plan_file.parent.mkdir(parents=True, exist_ok=True)
    run(
        ["plan", "-input=false", f"-var-file=envs/{target.values.name}", f"-out={plan_file.resolve()}"],
        target.root,
    )
    return plan_file


def show(target: Target, plan_file: Path) -> str:
    return run(["show", "-no-color", str(plan_file.resolve())], target.root, capture=True)


def apply(target: Target, plan_file: Path) -> None:
    """Applies the saved plan and nothing else: Terraform refuses it if the state moved since."""
    run(["apply", "-input=false", str(plan_file.resolve())], target.root)


def output(target: Target, name: str) -> Any:
    return json.loads(run(["output", "-json", name], target.root, capture=True))
