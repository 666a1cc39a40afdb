"""Shifting aliases through CodeDeploy: the rules on a fake, the adapter on moto."""

import json

import boto3
import pytest
from moto import mock_aws

from scripts.deploy import traffic
from scripts.deploy.traffic import FAILED, SUCCEEDED, Target


def target(name: str, version: str = "8") -> Target:
    return Target(name, "live", version, "shop-prod-order", name)


class FakeDeployments:
    """Aliases at given versions; each deployment reports the statuses scripted for its function."""

    def __init__(self, aliases: dict[str, str], statuses: dict[str, list[str]]):
        self.aliases = aliases
        self.statuses = statuses
        self.started: dict[str, tuple[Target, str]] = {}
        self.stopped: list[str] = []

    def alias_version(self, function_name, alias):
        return self.aliases[function_name]

    def start(self, target, from_version):
        deployment_id = f"d-{target.function_name}"
        self.started[deployment_id] = (target, from_version)
        return deployment_id

    def status(self, deployment_id):
        function_name = self.started[deployment_id][0].function_name
        script = self.statuses[function_name]
        return script.pop(0) if len(script) > 1 else script[0]

    def stop(self, deployment_id):
        self.stopped.append(deployment_id)


def shift(targets, deployments, **options):
    lines = []
    options.setdefault("sleep", lambda seconds: None)
    result = traffic.shift_all(targets, deployments, log=lines.append, **options)
    return result, lines


def test_each_function_behind_its_alias_is_deployed_and_awaited():
    deployments = FakeDeployments(
        {"api": "7", "consumer": "7"},
        {"api": ["InProgress", "InProgress", SUCCEEDED], "consumer": ["InProgress", SUCCEEDED]},
    )
    shifts, lines = shift([target("api"), target("consumer")], deployments)
    assert [(s.target.function_name, s.from_version, s.status) for s in shifts] == [
        ("api", "7", SUCCEEDED),
        ("consumer", "7", SUCCEEDED),
    ]
    assert lines[-1] == "consumer:live now serves version 8"


def test_an_alias_already_on_the_new_version_is_left_alone():
    deployments = FakeDeployments({"api": "8", "consumer": "7"}, {"consumer": [SUCCEEDED]})
    _, lines = shift([target("api"), target("consumer")], deployments)
    assert list(deployments.started) == ["d-consumer"]
    assert "api:live already serves version 8" in lines


def test_a_rolled_back_deployment_stops_the_others_and_fails_the_deploy():
    deployments = FakeDeployments(
        {"api": "7", "consumer": "7"}, {"api": ["InProgress", FAILED], "consumer": ["InProgress"]}
    )
    with pytest.raises(traffic.ShiftFailed) as failed:
        shift([target("api"), target("consumer")], deployments)
    assert deployments.stopped == ["d-consumer"]
    assert {s.target.function_name: s.status for s in failed.value.shifts} == {
        "api": FAILED,
        "consumer": "Stopped",
    }
    assert "api (deployment d-api: Failed)" in str(failed.value)


def test_a_deployment_that_outlasts_the_timeout_is_stopped():
    deployments = FakeDeployments({"api": "7"}, {"api": ["InProgress"]})
    ticks = iter(range(0, 10_000, 100))
    with pytest.raises(traffic.ShiftFailed, match="TimedOut"):
        shift([target("api")], deployments, timeout_seconds=300, clock=lambda: next(ticks))
    assert deployments.stopped == ["d-api"]


def test_targets_come_from_the_roots_output():
    output = {
        "shop-prod-order-consumer": {
            "alias": "live",
            "version": "12",
            "application": "shop-prod-order",
            "deployment_group": "shop-prod-order-consumer",
        }
    }
    assert traffic.targets_from_output(output) == [
        Target("shop-prod-order-consumer", "live", "12", "shop-prod-order", "shop-prod-order-consumer")
    ]


@mock_aws
def test_the_adapter_creates_a_lambda_deployment_with_the_aliases_versions():
    region = "us-east-1"
    codedeploy = boto3.client("codedeploy", region_name=region)
    codedeploy.create_application(applicationName="shop-prod-order", computePlatform="Lambda")
    codedeploy.create_deployment_group(
        applicationName="shop-prod-order",
        deploymentGroupName="shop-prod-order-api",
        serviceRoleArn="arn:aws:iam::123456789012:role/shop-prod-order-codedeploy",
        deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent5Minutes",
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
    )
    adapter = traffic.CodeDeploy(codedeploy, boto3.client("lambda", region_name=region))
    deployment_id = adapter.start(
        Target("shop-prod-order-api", "live", "8", "shop-prod-order", "shop-prod-order-api"), "7"
    )

    info = codedeploy.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert info["deploymentGroupName"] == "shop-prod-order-api"
    spec = json.loads(info["revision"]["appSpecContent"]["content"])
    assert spec["Resources"] == [
        {
            "shop-prod-order-api": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Name": "shop-prod-order-api",
                    "Alias": "live",
                    "CurrentVersion": "7",
                    "TargetVersion": "8",
                },
            }
        }
    ]
