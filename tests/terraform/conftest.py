"""What the Terraform tests share: the parsed HCL of terraform/ for the structural tests, and the
Terraform runs (tf-offline check, terraform test, the rendering), started together and in parallel.

python-hcl2 8 keeps HCL's quotes on string literals and labels ('"python3.13"') and wraps
expressions in ${...}; `normalise` turns literals into plain strings (python3.13) and leaves
expressions as ${...}, so a test can tell a literal from a reference.
"""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.terraform import runner
from tests.terraform.rendered import Rendered

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
LIVE = TERRAFORM / "live"
MODULES = TERRAFORM / "modules"
RENDER = Path(__file__).parent / "render"  # every component of dev in one configuration
# Every environment that some live root has values for (envs/<env>.tfvars).
ENVIRONMENTS = tuple(sorted({path.stem for path in LIVE.glob("*/envs/*.tfvars")}))
# Terraform runs at once (tf-offline check plans runner.PARALLEL_ROOTS roots at a time besides):
# on two cores more only queue.
WORKERS = 3


def normalise(value: Any) -> Any:
    """python-hcl2 output -> plain values: literals unquoted, block markers dropped."""
    if isinstance(value, dict):
        return {normalise(k): normalise(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


@dataclass(frozen=True)
class Block:
    """A labelled top-level block: resource "TYPE" "NAME", data "TYPE" "NAME", variable "NAME"..."""

    path: Path
    kind: str  # resource, data, variable, output, module
    labels: tuple[str, ...]
    body: dict[str, Any]

    @property
    def address(self) -> str:
        return f"{self.path.relative_to(REPO)}: {self.kind}.{'.'.join(self.labels)}"

    def first(self, name: str) -> dict[str, Any]:
        """The first nested block `name` ({} when absent)."""
        blocks = self.body.get(name) or [{}]
        return blocks[0] if isinstance(blocks, list) else {}


def _labelled(path: Path, kind: str, body: Any, depth: int) -> Iterator[Block]:
    # resource/data have two labels (type, name); variable/output/module one.
    for entry in body if isinstance(body, list) else [body]:
        for label, inner in entry.items():
            if depth == 1:
                yield Block(path, kind, (label,), inner)
            else:
                for sub in _labelled(path, kind, inner, depth - 1):
                    yield Block(path, kind, (label, *sub.labels), sub.body)


class TerraformTree:
    def __init__(self, root: Path):
        self.files: dict[Path, dict[str, Any]] = {}
        for path in sorted(root.rglob("*.tf")):
            if ".terraform" in path.parts:
                continue
            with path.open() as handle:
                self.files[path] = normalise(hcl2.load(handle))

    def blocks(self, kind: str) -> list[Block]:
        depth = 2 if kind in ("resource", "data") else 1
        return [
            block
            for path, parsed in self.files.items()
            for entry in parsed.get(kind, [])
            for block in _labelled(path, kind, entry, depth)
        ]

    def resources(self, type_: str) -> list[Block]:
        return [b for b in self.blocks("resource") if b.labels[0] == type_]

    def live_roots(self) -> list[Path]:
        return sorted(p.parent for p in self.files if p.name == "main.tf" and LIVE in p.parents)


@pytest.fixture(scope="session")
def tf() -> TerraformTree:
    tree = TerraformTree(TERRAFORM)
    assert tree.files, f"no .tf files under {TERRAFORM}"
    return tree


WORKING_FILES = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup")


def working_files() -> set[Path]:
    """What terraform init/plan/apply leave in a directory, under terraform/ and tests/ or at the top."""
    found = {REPO / name for name in WORKING_FILES if (REPO / name).exists()}
    return found | {
        path for top in ("terraform", "tests") for name in WORKING_FILES for path in (REPO / top).rglob(name)
    }


WORKING_FILES_AT_START = working_files()  # a deployer's own .terraform/ may be there


def modules_with_tests() -> list[Path]:
    """Every module directory with terraform test files (tests/*.tftest.hcl)."""
    return sorted({path.parent.parent for path in MODULES.rglob("tests/*.tftest.hcl")})


def check_job(environment: str) -> tuple[str, str]:
    return ("check", environment)


def module_test_job(module: Path) -> tuple[str, str]:
    return ("test", module.relative_to(MODULES).as_posix())


RENDER_JOB = ("render", "dev")


class TerraformJobs:
    """Every Terraform run the collected tests need, started together when collection ends,
    longest first, WORKERS at a time, below the tests' priority (runner.NICE); each test then
    waits for its own. `waited` is what they add to the session: the time tests spent waiting."""

    def __init__(self):
        self.wanted: list[tuple[str, str]] = []
        self.terraform = runner.terraform()
        self.started = self.finished = self.waited = 0.0
        self._futures: dict[tuple[str, str], Future] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def want(self, job: tuple[str, str]) -> None:
        if job not in self.wanted:
            self.wanted.append(job)

    def _call(self, job: tuple[str, str]) -> Callable[[], runner.Outcome]:
        kind, name = job
        terraform = self.terraform
        assert terraform is not None
        if kind == "check":
            return lambda: terraform.check(name)
        if kind == "test":
            return lambda: terraform.test(MODULES / name)
        return lambda: terraform.render(RENDER, RENDER / "parameters.json")

    def start(self, jobs: list[tuple[str, str]]) -> None:
        if self.terraform is None:
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="terraform")
                self.started = time.monotonic()
            for job in sorted(jobs, key=lambda j: ("render", "check", "test").index(j[0])):
                if job not in self._futures:
                    self._futures[job] = self._pool.submit(self._timed(self._call(job)))

    def _timed(self, call: Callable[[], runner.Outcome]) -> Callable[[], runner.Outcome]:
        def run() -> runner.Outcome:
            outcome = call()
            self.finished = max(self.finished, time.monotonic())
            return outcome

        return run

    def result(self, job: tuple[str, str]) -> runner.Outcome:
        if self.terraform is None:
            pytest.skip("terraform is not on PATH")
        self.start([job])
        waiting = time.monotonic()
        outcome = self._futures[job].result()
        self.waited += time.monotonic() - waiting
        if outcome.skipped:
            pytest.skip(outcome.skipped)
        return outcome

    def wait(self) -> None:
        """Until every started run has finished."""
        waiting = time.monotonic()
        for future in list(self._futures.values()):
            future.result()
        self.waited += time.monotonic() - waiting

    def timings(self) -> list[str]:
        done = {job: f.result() for job, f in self._futures.items() if f.done() and not f.exception()}
        return [f"{kind} {name}: {outcome.seconds:.0f} s" for (kind, name), outcome in sorted(done.items())]

    def close(self) -> None:
        if self._pool is not None:
            runner.stop_all()  # runs a failed or interrupted session no longer needs
            self._pool.shutdown(wait=True, cancel_futures=True)


JOBS = TerraformJobs()


def pytest_collection_finish(session):
    """Starts the Terraform runs that the selected tests need, all together, while the other
    tests run."""
    for item in session.items:
        job = getattr(item, "callspec", None) and item.callspec.params.get("job")
        if isinstance(job, tuple):
            JOBS.want(job)
        if "rendered" in getattr(item, "fixturenames", ()):
            JOBS.want(RENDER_JOB)
    if not session.config.option.collectonly:
        JOBS.start(JOBS.wanted)


def pytest_sessionfinish():
    JOBS.close()


def pytest_terminal_summary(terminalreporter):
    """How long the Terraform runs took, each and together, and how long the tests waited for them."""
    timings = JOBS.timings()
    if timings:
        terminalreporter.write_sep(
            "-",
            f"Terraform runs: {JOBS.finished - JOBS.started:.0f} s from the first start to the last end, "
            f"{WORKERS} at once; tests waited {JOBS.waited:.0f} s for them",
        )
        for line in timings:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def terraform_jobs() -> TerraformJobs:
    return JOBS


@pytest.fixture(scope="session")
def rendered(terraform_jobs: TerraformJobs) -> Rendered:
    """tests/terraform/render applied with the stand-in (tests/terraform/rendered.py)."""
    outcome = terraform_jobs.result(RENDER_JOB)
    assert outcome.passed, "rendering tests/terraform/render failed:\n" + outcome.output[-8000:]
    return Rendered.from_test_output(outcome.output)
