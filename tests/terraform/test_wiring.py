"""The components find each other only through SSM parameters: every parameter a component reads
is one another component writes, as Terraform renders them (tests/terraform/render), or one that
terraform/bootstrap writes (once per account, before any component), and the values the rendering
gives the readers (render/parameters.json) are what the writers write."""

import json
import re

from tests.terraform.conftest import LIVE, RENDER, TERRAFORM, TerraformTree

BOOTSTRAP = TERRAFORM / "bootstrap"
PREFIX, ENVIRONMENT, ACCOUNT = "shop", "dev", "123456789012"  # the rendering's


def bootstrap_value(tree: TerraformTree, expression: str) -> str:
    """A bootstrap name or path in the rendering's environment: ${var.prefix}, ${each.key} (an
    environment) and ${local.NAME} put in."""
    scope = {"var.prefix": PREFIX, "each.key": ENVIRONMENT}
    for parsed in tree.files.values():
        for entry in parsed.get("locals", []):
            scope.update({f"local.{k}": v for k, v in entry.items() if isinstance(v, str)})

    def value(match: re.Match) -> str:
        assert match.group(1) in scope, f"{match.group(0)} in {expression}: not a name bootstrap_value knows"
        return (
            bootstrap_value(tree, scope[match.group(1)])
            if "${" in scope[match.group(1)]
            else scope[match.group(1)]
        )

    return re.sub(r"\$\{([\w.]+)\}", value, expression)


def bootstrap_parameters() -> dict[str, str]:
    """Name -> value of each parameter terraform/bootstrap writes for the rendering's environment:
    the boundary's ARN, as IAM makes it from the policy's path and name."""
    tree = TerraformTree(BOOTSTRAP)
    policies = {b.labels[1]: b.body for b in tree.resources("aws_iam_policy")}
    written = {}
    for parameter in tree.resources("aws_ssm_parameter"):
        policy = re.fullmatch(r"\$\{aws_iam_policy\.(\w+)\[each\.key\]\.arn\}", parameter.body["value"])
        assert policy, f"{parameter.address}: a value other than a policy's ARN: {parameter.body['value']}"
        body = policies[policy.group(1)]
        path, name = bootstrap_value(tree, body.get("path", "/")), bootstrap_value(tree, body["name"])
        written[bootstrap_value(tree, parameter.body["name"])] = f"arn:aws:iam::{ACCOUNT}:policy{path}{name}"
    return written


def test_bootstrap_publishes_the_boundary_every_role_carries():
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/{PREFIX}-deploy/{PREFIX}-{ENVIRONMENT}-function-boundary"
    assert bootstrap_parameters() == {f"/{PREFIX}/{ENVIRONMENT}/bootstrap/function-boundary-arn": boundary}


def test_every_parameter_read_is_written_by_a_component(rendered):
    written = {
        p.values["name"]: p.module for p in rendered.of_type("aws_ssm_parameter") if p.mode == "managed"
    }
    written |= dict.fromkeys(bootstrap_parameters(), "terraform/bootstrap")
    read = {
        (d.values["name"], d.module)
        for d in rendered.resources.values()
        if d.type == "aws_ssm_parameter" and d.mode == "data"
    }
    assert read, "no component reads an SSM parameter"
    unwritten = sorted(f"{module} reads {name}" for name, module in read if name not in written)
    assert not unwritten, unwritten
    own = sorted(f"{module} reads its own {name}" for name, module in read if written.get(name) == module)
    assert not own, own


def test_the_rendering_gives_readers_what_the_writers_write(rendered):
    fixtures = json.loads((RENDER / "parameters.json").read_text())["aws_ssm_parameter"]
    written = {
        p.values["name"]: p.values["value"]
        for p in rendered.of_type("aws_ssm_parameter")
        if p.mode == "managed"
    }
    written |= bootstrap_parameters()
    read = {
        d.values["name"]
        for d in rendered.resources.values()
        if d.type == "aws_ssm_parameter" and d.mode == "data"
    }
    assert read <= set(fixtures), (
        f"give these a value in {RENDER.name}/parameters.json: {sorted(read - set(fixtures))}"
    )
    assert {name: written[name] for name in fixtures} == fixtures


def test_the_rendering_wires_every_component_the_live_roots_deploy(tf):
    """tests/terraform/render stands for an environment: it calls every module a live root calls
    (but the guard), so that no component's policies or parameters escape the tests above."""
    deployed = {
        (block.path.parent / block.body["source"]).resolve()
        for block in tf.blocks("module")
        if LIVE in block.path.parents and not block.body["source"].endswith("environment-guard")
    }
    harness = TerraformTree(RENDER)
    rendered_modules = {(b.path.parent / b.body["source"]).resolve() for b in harness.blocks("module")}
    assert deployed == rendered_modules
