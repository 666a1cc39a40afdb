"""The Terraform runs of the tests (tf-offline check per environment, terraform test per module,
the rendering), started together when pytest has collected the tests and run while the other tests
run; each test then waits for its own result."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.terraform import runner

MODULES = runner.REPO / "terraform" / "modules"
# Terraform runs at once (tf-offline check plans runner.PARALLEL_ROOTS roots at a time besides):
# on two cores more only queue.
WORKERS = 3
RENDER_JOB = ("render", "dev")
BOOTSTRAP_JOB = ("render", "bootstrap")  # terraform/bootstrap's own test, applied with the stand-in
BOOTSTRAP = runner.REPO / "terraform" / "bootstrap"


def modules_with_tests() -> list[Path]:
    """Every module directory with terraform test files (tests/*.tftest.hcl)."""
    return sorted({path.parent.parent for path in MODULES.rglob("tests/*.tftest.hcl")})


def check_job(environment: str) -> tuple[str, str]:
    return ("check", environment)


def module_test_job(module: Path) -> tuple[str, str]:
    return ("test", module.relative_to(MODULES).as_posix())


class TerraformJobs:
    """Every Terraform run the collected tests need, started together when collection ends,
    longest first, WORKERS at a time, below the tests' priority (runner.NICE); each test then
    waits for its own. `waited` is what they add to the session: the time tests spent waiting."""

    def __init__(self, render: Path):
        self.render = render
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
        if job == BOOTSTRAP_JOB:
            return lambda: terraform.render(BOOTSTRAP)
        return lambda: terraform.render(self.render, self.render / "parameters.json")

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
