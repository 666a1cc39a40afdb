"""The pipelines (.github/workflows): actionlint finds nothing, every component has its own, and
each one's path filters cover everything its package and roots read (scripts/deploy/inputs.py),
so a change to shared code runs every pipeline it affects."""

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from scripts.deploy import components, inputs

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
COMPONENTS = components.components()


@cache
def workflow(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / f"{name}.yml").read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as True
    return document


def glob_pattern(glob: str) -> re.Pattern:
    """A GitHub Actions path filter as a regular expression: `**` crosses directories, `*` and `?`
    do not."""
    expression = ""
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            expression, i = expression + "(?:.*/)?", i + 3
        elif glob.startswith("**", i):
            expression, i = expression + ".*", i + 2
        elif glob[i] == "*":
            expression, i = expression + "[^/]*", i + 1
        elif glob[i] == "?":
            expression, i = expression + "[^/]", i + 1
        else:
            expression, i = expression + re.escape(glob[i]), i + 1
    return re.compile(expression + r"\Z")


def actionlint() -> str | None:
    return shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")


def test_actionlint_finds_nothing():
    tool = actionlint()
    assert tool, "actionlint is not installed: it comes with .venv (pyproject's dev group)"
    result = subprocess.run([tool, "-no-color"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_component_has_its_workflow_and_nothing_else_deploys():
    callers = {path.stem for path in WORKFLOWS.glob("*.yml")} - {"deliver", "apply"}
    assert callers == set(COMPONENTS)
    for component in COMPONENTS:
        (job,) = workflow(component)["jobs"].values()
        assert job["uses"] == "./.github/workflows/deliver.yml"
        assert job["with"]["component"] == component
        assert job["with"].get("package", False) == (component in components.SERVICES)


@pytest.mark.parametrize("component", COMPONENTS)
def test_push_and_pull_request_filter_the_same_paths(component):
    on = workflow(component)["on"]
    assert on["push"]["branches"] == ["main"]
    assert on["push"]["paths"] == on["pull_request"]["paths"]


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_path_filters_cover_everything_the_component_reads(component):
    patterns = [glob_pattern(glob) for glob in workflow(component)["on"]["push"]["paths"]]
    missed = [
        path
        for path in inputs.relative(inputs.component_inputs(component))
        if not any(p.match(path) for p in patterns)
    ]
    assert not missed, f".github/workflows/{component}.yml misses: {missed}"


@pytest.mark.parametrize(
    ("component", "path", "runs"),
    [
        ("basket", "services/common/shop_common/http.py", True),  # shared code: every service
        ("order", "services/common/shop_common/http.py", True),
        ("product", "terraform/modules/lambda-function/main.tf", True),
        ("eventing", "contracts/events/CheckoutBasket.json", True),
        ("order", "contracts/events/ProductChanged.json", True),  # filters are by directory
        ("product", "services/basket/basket/checkout.py", False),
        ("identity", "services/common/shop_common/http.py", False),
        ("monitoring", "terraform/live/basket/main.tf", False),
    ],
)
def test_a_change_runs_the_pipelines_it_affects(component, path, runs):
    patterns = [glob_pattern(glob) for glob in workflow(component)["on"]["push"]["paths"]]
    assert any(p.match(path) for p in patterns) == runs


def test_the_derived_inputs_follow_the_sources():
    """The derivation itself: modules found through `source`, the build and the contracts named."""
    basket = set(inputs.relative(inputs.component_inputs("basket")))
    assert (
        "terraform/modules/eventing/modules/subscription/main.tf" in basket
    )  # ../eventing/modules/subscription
    assert "terraform/modules/rest-api/modules/openapi-body/main.tf" in basket  # through rest-api
    assert "services/basket/openapi.yaml" in basket  # file() in the root
    assert "scripts/build.py" in basket and "services/common/shop_common/http.py" in basket
    assert "contracts/events/ProductChanged.json" in basket  # the replica reads product events
    assert not any(p.startswith(("services/order/", "terraform/live/order/")) for p in basket)
    eventing = set(inputs.relative(inputs.component_inputs("eventing")))
    assert "contracts/events/CheckoutBasket.json" in eventing  # fileset() of the schemas
    assert not any(p.startswith("services/") for p in eventing)


def test_glob_semantics_are_githubs():
    assert glob_pattern("services/**").match("services/a/b/c.py")
    assert glob_pattern("scripts/*.py").match("scripts/build.py")
    assert not glob_pattern("scripts/*.py").match("scripts/deploy/traffic.py")
    assert glob_pattern("**/README.md").match("README.md")


def test_applies_never_overlap_and_prod_waits_for_dev():
    deliver, apply = workflow("deliver"), workflow("apply")
    plan = deliver["jobs"]["plan"]
    assert plan["concurrency"]["group"] == "terraform-${{ matrix.environment }}-${{ inputs.component }}"
    assert (
        apply["jobs"]["apply"]["concurrency"]["group"]
        == "terraform-${{ inputs.environment }}-${{ inputs.component }}"
    )
    assert not apply["jobs"]["apply"]["concurrency"]["cancel-in-progress"]
    assert deliver["jobs"]["deploy-prod"]["needs"] == ["deploy-dev"]
    assert deliver["jobs"]["deploy-prod"]["with"]["environment"] == "prod"
    assert apply["jobs"]["apply"]["environment"] == "${{ inputs.environment }}"


def test_the_roles_prefix_is_bootstraps_default():
    default = re.search(
        r'variable "prefix" \{[^}]*default\s*=\s*"([^"]+)"',
        (ROOT / "terraform/bootstrap/variables.tf").read_text(),
    )
    assert workflow("deliver")["env"]["PREFIX"] == workflow("apply")["env"]["PREFIX"] == default.group(1)


def test_credentials_come_from_oidc_roles_never_from_secrets():
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text()
        assert "secrets." not in text and "aws-access-key-id" not in text, path.name
    steps = [step for job in workflow("apply")["jobs"].values() for step in job["steps"]]
    roles = [s["with"]["role-to-assume"] for s in steps if "configure-aws-credentials" in s.get("uses", "")]
    deploy_roles = (
        "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/${{ env.PREFIX }}-deploy/"
        "${{ env.PREFIX }}-${{ inputs.environment }}"
    )
    assert roles == [f"{deploy_roles}-${{{{ inputs.component }}}}-deploy", f"{deploy_roles}-smoke"]
