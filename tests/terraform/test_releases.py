"""Releases, read from what Terraform renders (tests/terraform/render, which releases as prod does):
every function publishes versions and every caller invokes its alias `live` (API integrations and
their permissions, event source mappings), the alarms watch that alias, each function has a
CodeDeploy deployment group that rolls a shift back on them, and the `deployments` output is what
`make deploy` (scripts/deploy/traffic.py) takes, naming functions, versions and groups that exist.

Which environment releases how is values only: dev leaves the aliases to Terraform, prod to
CodeDeploy, and the rendering uses prod's configuration (checked here against envs/prod.tfvars).
"""

import json

import hcl2
import pytest

from scripts.deploy import traffic
from tests.terraform.conftest import LIVE, RENDER, TerraformTree, normalise
from tests.terraform.rendered import Rendered

SERVICES = ("product", "basket", "order")
ALIAS = "live"
METHODS = ("get", "put", "post", "delete", "patch")


def functions(rendered: Rendered) -> dict[str, dict]:
    """Function name -> its rendered values."""
    return {f.values["function_name"]: f.values for f in rendered.of_type("aws_lambda_function")}


def aliases(rendered: Rendered) -> dict[str, dict]:
    """Function name -> its one alias's rendered values."""
    found: dict[str, dict] = {}
    for alias in rendered.of_type("aws_lambda_alias"):
        name = alias.values["function_name"]
        assert name not in found, f"{name} has two aliases"
        found[name] = alias.values
    return found


def test_every_function_publishes_versions_and_has_one_alias_live(rendered):
    assert functions(rendered), "no function rendered"
    assert {name: f["publish"] for name, f in functions(rendered).items()} == dict.fromkeys(
        functions(rendered), True
    )
    assert {name: a["name"] for name, a in aliases(rendered).items()} == dict.fromkeys(
        functions(rendered), ALIAS
    )


def test_every_api_integration_invokes_an_alias(rendered):
    invoke_arns = {a["invoke_arn"] for a in aliases(rendered).values()}
    apis = rendered.of_type("aws_api_gateway_rest_api")
    assert len(apis) == len(SERVICES)
    for api in apis:
        body = json.loads(api.values["body"])
        uris = {
            operation["x-amazon-apigateway-integration"]["uri"]
            for item in body["paths"].values()
            for method, operation in item.items()
            if method in METHODS
        }
        assert len(uris) == 1 and uris <= invoke_arns, (api.address, uris)


def test_every_invoke_permission_is_qualified_by_the_alias_it_allows(rendered):
    permissions = rendered.of_type("aws_lambda_permission")
    assert len(permissions) == len(SERVICES)
    for permission in permissions:
        values = permission.values
        assert values["function_name"] in functions(rendered), permission.address
        assert values["qualifier"] == aliases(rendered)[values["function_name"]]["name"], permission.address


def test_every_event_source_mapping_invokes_an_alias(rendered):
    mappings = rendered.of_type("aws_lambda_event_source_mapping")
    assert len(mappings) == 3  # order's checkout queue, basket's catalogue queue, product's stream
    alias_arns = {a["arn"] for a in aliases(rendered).values()}
    assert {m.address: m.values["function_name"] in alias_arns for m in mappings} == {
        m.address: True for m in mappings
    }


def test_the_function_alarms_watch_the_alias(rendered):
    """Lambda publishes per-alias metrics with the dimensions FunctionName and Resource
    "<function>:<alias>"; with FunctionName alone an alarm would watch every version together."""
    alarms = {
        a.values["alarm_name"]: a.values
        for a in rendered.of_type("aws_cloudwatch_metric_alarm")
        if a.values["namespace"] == "AWS/Lambda"
    }
    expected = {
        f"{name}-{kind}": {"FunctionName": name, "Resource": f"{name}:{ALIAS}"}
        for name in functions(rendered)
        for kind in ("errors", "throttles")
    }
    assert {name: alarm["dimensions"] for name, alarm in alarms.items()} == expected


def test_each_function_has_a_deployment_group_that_rolls_back_on_its_alarms(rendered):
    groups = {
        g.values["deployment_group_name"]: g.values
        for g in rendered.of_type("aws_codedeploy_deployment_group")
    }
    assert set(groups) == set(functions(rendered))
    applications = {a.values["name"] for a in rendered.of_type("aws_codedeploy_app")}
    assert applications == {f"shop-dev-{service}" for service in SERVICES}
    alarm_names = {a.values["alarm_name"] for a in rendered.of_type("aws_cloudwatch_metric_alarm")}
    api_functions = {p.values["function_name"]: p.module for p in rendered.of_type("aws_lambda_permission")}
    for name, group in groups.items():
        service = group["app_name"].removeprefix("shop-dev-")
        assert name.startswith(group["app_name"]) and service in SERVICES, name
        assert group["deployment_style"] == [
            {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
        ]
        (rollback,) = group["auto_rollback_configuration"]
        assert rollback["enabled"] and {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"} <= set(
            rollback["events"]
        )
        (alarming,) = group["alarm_configuration"]
        assert alarming["enabled"] and not alarming["ignore_poll_alarm_failure"], name
        expected = {f"{name}-errors"} | ({f"shop-dev-{service}-5xx-rate"} if name in api_functions else set())
        assert set(alarming["alarms"]) == expected, name
        assert expected <= alarm_names, f"{name}: rolls back on alarms that do not exist"
        role = rendered.resources[f"module.{service}.module.deployment[0].aws_iam_role.this"].values
        assert group["service_role_arn"] == role["arn"], name


def test_what_make_deploy_reads_names_what_exists(rendered):
    """Each service root's `deployments` output, as scripts/deploy/traffic.py reads it: every
    target is a function, its alias, its newest version and a group of its service's application."""
    deployments = rendered.outputs["deployments"]
    assert set(deployments) == set(SERVICES)
    groups = {
        (g.values["app_name"], g.values["deployment_group_name"])
        for g in rendered.of_type("aws_codedeploy_deployment_group")
    }
    targets = [t for service in SERVICES for t in traffic.targets_from_output(deployments[service])]
    assert {t.function_name for t in targets} == set(functions(rendered))
    for target in targets:
        assert target.alias == aliases(rendered)[target.function_name]["name"]
        assert target.version == functions(rendered)[target.function_name]["version"]
        assert (target.application, target.deployment_group) in groups


def _tfvars(service: str, environment: str) -> dict:
    with (LIVE / service / "envs" / f"{environment}.tfvars").open() as handle:
        return normalise(hcl2.load(handle))


@pytest.mark.parametrize("service", SERVICES)
def test_prod_releases_through_codedeploy_and_dev_at_once(service):
    assert _tfvars(service, "dev").get("deployment_config_name", "missing") is None
    assert _tfvars(service, "prod")["deployment_config_name"].startswith("CodeDeployDefault.Lambda")


def test_the_rendering_releases_as_prod_does():
    harness = TerraformTree(RENDER)
    (configured,) = [
        entry["deployment_config_name"]
        for parsed in harness.files.values()
        for entry in parsed.get("locals", [])
        if "deployment_config_name" in entry
    ]
    assert {
        service: _tfvars(service, "prod")["deployment_config_name"] for service in SERVICES
    } == dict.fromkeys(SERVICES, configured)
