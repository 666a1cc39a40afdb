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
import shutil
import signal
import subprocess
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


def run_command(command: list[str], cwd: Path, environment: dict[str, str]) -> Outcome:
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


WORKING_FILES = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup")


def working_files() -> set[Path]:
    """What terraform init/plan/apply leave in a directory, under terraform/ and tests/ or at the top."""
    found = {REPO / name for name in WORKING_FILES if (REPO / name).exists()}
    return found | {
        path for top in ("terraform", "tests") for name in WORKING_FILES for path in (REPO / top).rglob(name)
    }


WORKING_FILES_AT_START = working_files()  # a deployer's own .terraform/ may be there


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
        return run_command(
            [str(self.tool), "check", str(REPO), "--roots", ROOTS, "-j", str(PARALLEL_ROOTS)],
            REPO,
            {"TF_CLI_ARGS_plan": f"-var-file=envs/{environment}.tfvars"},
        )

    def test(self, directory: Path, *arguments: str, data: Path | None = None) -> Outcome:
        command = [str(self.tool), "test"]
        if data is not None:
            command += ["--data", str(data)]
        return run_command([*command, str(directory), "-no-color", *arguments], REPO, {})

    def render(self, directory: Path, data: Path | None = None) -> Outcome:
        """Applies DIRECTORY's test with the stand-in and prints the states as JSON lines."""
        fixtures = ["--data", str(data)] if data is not None else []
        return run_command([str(self.tool), "test", *fixtures, str(directory), "-json", "-verbose"], REPO, {})


def terraform():
    """How Terraform runs here (Offline, or real_provider.RealProvider); None when terraform is
    not on PATH."""
    if shutil.which("terraform") is None:
        return None
    tool = tf_offline()
    if tool:
        return Offline(tool)
    from tests.terraform.real_provider import RealProvider  # here: it imports this module

    return RealProvider()
