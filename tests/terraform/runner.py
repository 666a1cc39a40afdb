"""How the Terraform tests run Terraform: offline, with tf-offline's stand-in for hashicorp/aws,
or with the real provider where providers can be downloaded.

- Offline (the default when tf-offline is found: $TF_OFFLINE, else ../shared/tools/tf-offline/
  tf-offline beside the repository): `tf-offline check` plans every live root, once per environment,
  and `tf-offline test` runs each module's `terraform test`. tf-offline works in a temporary copy.
- Real provider (TF_OFFLINE=off, or tf-offline not found): the same `terraform test` files and an
  init + validate of every live root, in a temporary copy of the repository made here, with a local
  backend. A root's plan needs AWS credentials and the environment's SSM parameters, so in this mode
  it is left to the pipeline's plan (which has both).

Either way Terraform runs in a temporary directory: no .terraform/, state or .terraform.lock.hcl is
ever written into the tree.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIVE = REPO / "terraform" / "live"
ROOTS = "terraform/live/*"  # one root per component; envs/<env>.tfvars and envs/<env>.backend.hcl
TIMEOUT = 900  # seconds, for one tf-offline or terraform command
PARALLEL_ROOTS = 2  # tf-offline check -j: roots planned at once within one environment

# Never ask, never phone home, no colours in what a failed test prints.
QUIET = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", "NO_COLOR": "1"}
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'
PACKAGE = re.compile(r'"\$\{path\.root\}/([^"$]+?\.zip)"')  # a root's package, built by `make build`
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)


@dataclass(frozen=True)
class Outcome:
    """What one run printed, and whether it passed; `skipped` says why it could not run here."""

    passed: bool
    output: str
    seconds: float
    skipped: str = ""


# Terraform runs below the tests' own priority: started with the test session, they take the CPU
# that the other tests leave (waiting on HTTP, on the local cloud) without slowing those down.
NICE = ["nice", "-n", "10"] if shutil.which("nice") else []
RUNNING: set[subprocess.Popen] = set()  # stopped, with their process groups, if the session ends first


def _run(command: list[str], cwd: Path, environment: dict[str, str]) -> Outcome:
    started = time.monotonic()
    process = subprocess.Popen(
        [*NICE, *command],
        cwd=cwd,
        env={**os.environ, **QUIET, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: terraform and its provider processes
    )
    RUNNING.add(process)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        stop(process)
        stdout, stderr = process.communicate()
        return Outcome(
            False, f"timed out after {TIMEOUT} s: {' '.join(command)}\n{stdout}\n{stderr}", TIMEOUT
        )
    finally:
        RUNNING.discard(process)
    output = f"$ {' '.join(command)}\nexit {process.returncode}\n{stdout}\n{stderr}"
    return Outcome(process.returncode == 0, output, time.monotonic() - started)


def stop(process: subprocess.Popen) -> None:
    """Ends a run that is still going, with the processes it started (its process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)


def stop_all() -> None:
    for process in list(RUNNING):
        stop(process)


def live_components() -> list[str]:
    return sorted(p.parent.name for p in LIVE.glob("*/main.tf"))


def tf_offline() -> Path | None:
    """tf-offline, found as tests/terraform/test_checks.py finds tf-schema-check; None when the
    real provider is asked for (TF_OFFLINE=off) or when it is not there."""
    setting = os.environ.get("TF_OFFLINE", "")
    if setting.lower() in ("off", "0", "no", "false", "real"):
        return None
    candidates = [
        setting,
        REPO.parent / "shared/tools/tf-offline/tf-offline",
        "/work/shared/tools/tf-offline/tf-offline",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


class Offline:
    """Terraform with tf-offline's stand-in provider."""

    name = "tf-offline"

    def __init__(self, tool: Path):
        self.tool = tool

    def check(self, environment: str) -> Outcome:
        """init, validate and plan every live root with envs/<environment>.tfvars.

        tf-offline check passes no variables; Terraform's TF_CLI_ARGS_plan adds the var file to
        each root's plan (relative to the root)."""
        return _run(
            [str(self.tool), "check", str(REPO), "--roots", ROOTS, "-j", str(PARALLEL_ROOTS)],
            REPO,
            {"TF_CLI_ARGS_plan": f"-var-file=envs/{environment}.tfvars"},
        )

    def test(self, directory: Path, *arguments: str, data: Path | None = None) -> Outcome:
        command = [str(self.tool), "test"]
        if data is not None:
            command += ["--data", str(data)]
        return _run([*command, str(directory), "-no-color", *arguments], REPO, {})

    def render(self, directory: Path, data: Path) -> Outcome:
        """Applies DIRECTORY's test with the stand-in and prints the states as JSON lines."""
        return _run(
            [str(self.tool), "test", "--data", str(data), str(directory), "-json", "-verbose"], REPO, {}
        )


class RealProvider:
    """Plain terraform with the provider from the registry, in a temporary copy of the repository.

    Providers are downloaded once into TF_PLUGIN_CACHE_DIR (~/.cache/terraform-plugins unless
    set), with the first init alone, since Terraform's plugin cache is not safe for concurrent
    installs."""

    name = "terraform (real provider)"

    def __init__(self):
        cache = os.environ.get("TF_PLUGIN_CACHE_DIR") or str(Path.home() / ".cache/terraform-plugins")
        Path(cache).mkdir(parents=True, exist_ok=True)
        self.environment = {"TF_PLUGIN_CACHE_DIR": cache}
        self._first_init = threading.Lock()
        self._warm = False
        self._validated: dict[str, Outcome] | None = None
        self._validating = threading.Lock()

    def _init(self, directory: Path, *arguments: str) -> Outcome:
        command = ["terraform", "init", "-input=false", "-no-color", *arguments]
        if self._warm:
            return _run(command, directory, self.environment)
        with self._first_init:
            outcome = _run(command, directory, self.environment)
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
                validate = _run(["terraform", "validate", "-no-color"], root, self.environment)
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
            test = _run(["terraform", "test", "-no-color", *arguments], root, self.environment)
            return Outcome(test.passed, init.output + test.output, init.seconds + test.seconds)

    def render(self, directory: Path, data: Path) -> Outcome:
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


def terraform() -> Offline | RealProvider | None:
    """How Terraform runs here; None when terraform is not on PATH."""
    if shutil.which("terraform") is None:
        return None
    tool = tf_offline()
    return Offline(tool) if tool else RealProvider()
