"""Terraform with the real hashicorp/aws provider, downloaded from the registry, for machines that
can (a user's, a CI runner): the modules' `terraform test` files and an init and validate of every
live root, each in a temporary copy of the repository with a local backend."""

import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.terraform.runner import REPO, Outcome, live_components, run_command

LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'
PACKAGE = re.compile(r'"\$\{path\.root\}/([^"$]+?\.zip)"')  # a root's package, built by `make build`
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)


class RealProvider:
    """Plain terraform with the provider from the registry, in a temporary copy of the repository.

    Providers are downloaded once into TF_PLUGIN_CACHE_DIR (~/.cache/terraform-plugins unless
    set), with the first init alone, since Terraform's plugin cache is not safe for concurrent
    installs."""

    name = "terraform (real provider)"

    def __init__(self):
        cache = os.environ.get("TF_PLUGIN_CACHE_DIR") or str(Path.home() / ".cache/terraform-plugins")
        self.environment = {"TF_PLUGIN_CACHE_DIR": cache}
        self._first_init = threading.Lock()
        self._warm = False
        self._validated: dict[str, Outcome] | None = None
        self._validating = threading.Lock()

    def _init(self, directory: Path, *arguments: str) -> Outcome:
        command = ["terraform", "init", "-input=false", "-no-color", *arguments]
        if self._warm:
            return run_command(command, directory, self.environment)
        with self._first_init:
            Path(self.environment["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
            outcome = run_command(command, directory, self.environment)
            self._warm = self._warm or outcome.passed
            return outcome

    def check(self, environment: str) -> Outcome:
        with self._validating:
            if self._validated is None:
                self._validated = {c: self._validate(c) for c in live_components()}
        failed = [o for o in self._validated.values() if not o.passed]
        seconds = sum(o.seconds for o in self._validated.values())
        if failed:
            return Outcome(False, "\n".join(o.output for o in failed), seconds)
        return Outcome(
            True,
            "",
            seconds,
            skipped=f"every live root inits and validates; planning {environment} needs AWS credentials "
            "and its SSM parameters (the pipeline's plan), or tf-offline",
        )

    def _validate(self, component: str) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="tf-real-") as temporary:
            copy = stage(Path(temporary))
            root = copy / "terraform/live" / component
            (root / "zz_local_backend_override.tf").write_text(LOCAL_BACKEND)
            outcome = self._init(root)
            if outcome.passed:
                validate = run_command(["terraform", "validate", "-no-color"], root, self.environment)
                outcome = Outcome(
                    validate.passed, outcome.output + validate.output, outcome.seconds + validate.seconds
                )
            return outcome

    def test(self, directory: Path, *arguments: str, data: Path | None = None) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="tf-real-") as temporary:
            copy = stage(Path(temporary))
            root = copy / directory.relative_to(REPO)
            init = self._init(root, "-backend=false")
            if not init.passed:
                return init
            test = run_command(["terraform", "test", "-no-color", *arguments], root, self.environment)
            return Outcome(test.passed, init.output + test.output, init.seconds + test.seconds)

    def render(self, directory: Path, data: Path | None = None) -> Outcome:
        return Outcome(
            True,
            "",
            0,
            skipped="rendering needs an apply, which only tf-offline's stand-in can do without an AWS "
            "account (a plan leaves the policy documents unknown until their resources exist)",
        )


def stage(temporary: Path) -> Path:
    """A copy of the repository's files (tracked, and untracked but not ignored, as tf-offline
    copies them), dist/*.zip, and an empty zip for each package a root reads that is not built;
    without any .terraform.lock.hcl."""
    copy = temporary / "repo"
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, set(listed.split("\0"))):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / "dist").mkdir(exist_ok=True)
    for package in REPO.glob("dist/*.zip"):
        shutil.copy2(package, copy / "dist" / package.name)
    for configuration in (copy / "terraform/live").glob("*/*.tf"):
        for reference in PACKAGE.findall(configuration.read_text()):
            package = (configuration.parent / reference).resolve()
            if not package.exists():
                package.write_bytes(EMPTY_ZIP)  # filebase64sha256 needs a file
    for lock in copy.rglob(".terraform.lock.hcl"):
        lock.unlink()
    return copy
