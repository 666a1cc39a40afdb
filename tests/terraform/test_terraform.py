"""Terraform checked by Terraform: every live root inits, validates and plans with each
environment's values, and every module passes its `terraform test` files (tests/*.tftest.hcl).

Offline, tf-offline's stand-in serves hashicorp/aws; with TF_OFFLINE=off (or without tf-offline)
the real provider does (tests/terraform/runner.py). A failure prints Terraform's diagnostics.
"""

import subprocess

import pytest

from tests.terraform.conftest import ENVIRONMENTS, MODULES, REPO
from tests.terraform.jobs import check_job, module_test_job, modules_with_tests
from tests.terraform.runner import WORKING_FILES, WORKING_FILES_AT_START, live_components, working_files


@pytest.mark.parametrize("job", [check_job(env) for env in ENVIRONMENTS], ids=lambda job: job[1])
def test_every_root_inits_validates_and_plans_in_each_environment(terraform_jobs, job):
    outcome = terraform_jobs.result(job)
    if not outcome.passed:
        pytest.fail(f"a live root failed with envs/{job[1]}.tfvars:\n{outcome.output}", pytrace=False)
    # tf-offline check prints one line per root: every component, each planned.
    planned = {
        line.split()[1].rsplit("/", 1)[-1] for line in outcome.output.splitlines() if line.startswith("ok ")
    }
    assert planned == set(live_components()), outcome.output


@pytest.mark.parametrize(
    "job", [module_test_job(module) for module in modules_with_tests()], ids=lambda job: job[1]
)
def test_module_contract(terraform_jobs, job):
    outcome = terraform_jobs.result(job)
    if not outcome.passed:
        pytest.fail(f"terraform test in terraform/modules/{job[1]} failed:\n{outcome.output}", pytrace=False)
    assert "Success!" in outcome.output and " 0 failed" in outcome.output, outcome.output


def test_every_module_has_terraform_tests():
    modules = sorted({path.parent for path in MODULES.rglob("*.tf") if "tests" not in path.parts})
    untested = [m.relative_to(REPO).as_posix() for m in modules if m not in modules_with_tests()]
    assert not untested, f"modules without tests/*.tftest.hcl: {untested}"


def test_terraform_ran_outside_the_tree(terraform_jobs):
    """Every run worked in a temporary copy: it left no .terraform/, state or lock file (one made
    with the stand-in holds its checksums, not the real provider's), and none is tracked."""
    terraform_jobs.wait()
    assert working_files() == WORKING_FILES_AT_START
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "--", *(f"*{name}" for name in WORKING_FILES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked == []
