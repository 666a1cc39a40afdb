"""What the Terraform tests share: the parsed HCL of terraform/ for the structural tests, and the
Terraform runs (tf-offline check, terraform test, the rendering), started together and in parallel.

python-hcl2 8 keeps HCL's quotes on string literals and labels ('"python3.13"') and wraps
expressions in ${...}; `normalise` turns literals into plain strings (python3.13) and leaves
expressions as ${...}, so a test can tell a literal from a reference.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.terraform.jobs import BOOTSTRAP_JOB, RENDER_JOB, WORKERS, TerraformJobs
from tests.terraform.rendered import Rendered, diagnostics

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
LIVE = TERRAFORM / "live"
MODULES = TERRAFORM / "modules"
RENDER = Path(__file__).parent / "render"  # every component of dev in one configuration
# Every environment that some live root has values for (envs/<env>.tfvars).
ENVIRONMENTS = tuple(sorted({path.stem for path in LIVE.glob("*/envs/*.tfvars")}))


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


JOBS = TerraformJobs(RENDER)


def pytest_collection_finish(session):
    """Starts the Terraform runs that the selected tests need, all together, while the other
    tests run."""
    for item in session.items:
        job = getattr(item, "callspec", None) and item.callspec.params.get("job")
        if isinstance(job, tuple):
            JOBS.want(job)
        if "rendered" in getattr(item, "fixturenames", ()):
            JOBS.want(RENDER_JOB)
        if "bootstrap" in getattr(item, "fixturenames", ()):
            JOBS.want(BOOTSTRAP_JOB)
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
def bootstrap(terraform_jobs: TerraformJobs) -> Rendered:
    """terraform/bootstrap applied with the stand-in by its own test (tests/bootstrap.tftest.hcl)."""
    outcome = terraform_jobs.result(BOOTSTRAP_JOB)
    if not outcome.passed:
        pytest.fail("terraform/bootstrap's test failed:\n" + diagnostics(outcome.output), pytrace=False)
    return Rendered.from_test_output(outcome.output)


@pytest.fixture(scope="session")
def rendered(terraform_jobs: TerraformJobs) -> Rendered:
    """tests/terraform/render applied with the stand-in (tests/terraform/rendered.py)."""
    outcome = terraform_jobs.result(RENDER_JOB)
    if not outcome.passed:
        pytest.fail("rendering tests/terraform/render failed:\n" + diagnostics(outcome.output), pytrace=False)
    return Rendered.from_test_output(outcome.output)
