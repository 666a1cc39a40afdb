"""make plan / make deploy: the Terraform commands, in order, and the package a plan was made with."""

import json
from pathlib import Path

import pytest

from scripts.deploy import __main__ as deploy
from scripts.deploy import components, terraform, traffic


class Terraform:
    """Records each terraform command (arguments, directory) and answers `show` and `output`."""

    def __init__(self, deployments: dict | None = None):
        self.commands: list[tuple[tuple[str, ...], str]] = []
        self.deployments = deployments or {}

    def __call__(self, arguments, directory, capture=False):
        self.commands.append((tuple(arguments), Path(directory).name))
        if arguments[0] == "show":
            return "Plan: 1 to add, 0 to change, 0 to destroy."
        if arguments[0] == "output":
            return json.dumps(self.deployments)
        return ""

    def verbs(self):
        return [arguments[0] for arguments, _ in self.commands]


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setattr(components, "DIST", tmp_path / "dist")
    (tmp_path / "dist").mkdir()
    fake = Terraform()
    monkeypatch.setattr(terraform, "run", fake)
    return tmp_path, fake


def build(tmp_path: Path, service: str, content: bytes = b"zip") -> Path:
    package = tmp_path / "dist" / f"{service}.zip"
    package.write_bytes(content)
    return package


def test_every_component_has_a_root_for_each_environment():
    assert components.components() == ["basket", "eventing", "identity", "monitoring", "order", "product"]
    for component in components.components():
        assert components.environments(component) == ["dev", "prod"]


def test_an_unknown_component_or_environment_is_refused_naming_what_exists():
    with pytest.raises(components.UnknownTarget, match="COMPONENT='cart' is not one of basket"):
        components.target("cart", "dev")
    with pytest.raises(components.UnknownTarget, match="ENV='staging': basket has values for dev, prod"):
        components.target("basket", "staging")


def test_plan_inits_with_the_environments_backend_and_plans_its_values_to_a_file(world):
    tmp_path, fake = world
    build(tmp_path, "basket")
    target = components.target("basket", "dev")
    written = deploy.plan(target, target.plan_file)
    assert fake.commands[0] == (
        ("init", "-input=false", "-reconfigure", "-backend-config=envs/dev.backend.hcl"),
        "basket",
    )
    assert fake.commands[1] == (
        ("plan", "-input=false", "-var-file=envs/dev.tfvars", f"-out={written.resolve()}"),
        "basket",
    )
    assert written.with_suffix(".txt").read_text().startswith("Plan: 1 to add")
    assert written.with_suffix(".package.sha256").read_text().strip() == deploy._sha256(target.package)


def test_a_service_is_not_planned_without_its_package(world):
    with pytest.raises(deploy.PackageMismatch, match="make build"):
        deploy.plan(components.target("order", "prod"), components.target("order", "prod").plan_file)


def test_a_saved_plan_is_applied_as_is_with_the_package_it_was_made_with(world):
    tmp_path, fake = world
    build(tmp_path, "product")
    target = components.target("product", "prod")
    saved = deploy.plan(target, tmp_path / "elsewhere" / "prod-product.tfplan")
    fake.commands.clear()
    deploy.deploy(target, saved, assume_yes=False)
    assert fake.verbs() == ["init", "apply", "output"]
    assert fake.commands[1][0] == ("apply", "-input=false", str(saved.resolve()))


def test_a_saved_plan_is_not_applied_with_another_package(world):
    tmp_path, fake = world
    build(tmp_path, "product", b"v1")
    target = components.target("product", "prod")
    saved = deploy.plan(target, target.plan_file)
    build(tmp_path, "product", b"v2")
    with pytest.raises(deploy.PackageMismatch, match="not the package the plan was made with"):
        deploy.deploy(target, saved, assume_yes=True)
    assert "apply" not in fake.verbs()


def test_a_shared_component_has_no_package_and_no_traffic_to_shift(world):
    _, fake = world
    deploy.deploy(components.target("eventing", "dev"), None, assume_yes=True)
    assert fake.verbs() == ["init", "plan", "show", "apply"]


def test_where_codedeploy_owns_the_aliases_the_deploy_shifts_them(world, monkeypatch):
    tmp_path, fake = world
    build(tmp_path, "order")
    fake.deployments = {
        "shop-prod-order-api": {
            "alias": "live",
            "version": "4",
            "application": "shop-prod-order",
            "deployment_group": "shop-prod-order-api",
        }
    }
    shifted = []
    monkeypatch.setattr(deploy.traffic, "shift_all", lambda targets, deployments: shifted.extend(targets))
    deploy.deploy(components.target("order", "prod"), None, assume_yes=True)
    assert shifted == [
        traffic.Target("shop-prod-order-api", "live", "4", "shop-prod-order", "shop-prod-order-api")
    ]


def test_the_command_line_reports_a_failure_in_one_line(capsys):
    assert deploy.main(["plan", "qa", "basket"]) == 1
    assert capsys.readouterr().err.startswith("error: ENV='qa'")
