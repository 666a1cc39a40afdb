"""Moves each function's `live` alias to the version an apply published, through CodeDeploy.

In an environment whose aliases CodeDeploy owns (prod: the service modules' deployment_config_name),
`terraform apply` publishes a new version of each function whose code or configuration changed,
while `live`, which API Gateway and the event source mappings invoke, keeps serving the old one
(Terraform ignores the alias's version there). For each function whose alias is behind, this
creates a CodeDeploy deployment (an AppSpec naming the alias, its current version and the target)
in the function's deployment group, whose configuration (e.g. 10% of the traffic for 5 minutes,
then all of it) and alarms (the alias's errors, the API's 5xx rate) decide: an alarm during the
deployment makes CodeDeploy put the alias back on the current version. Then it waits for all of
them. If one fails, the others are stopped and rolled back too, so that a service's functions
never stay split between two packages; the deploy fails.

A function whose alias already serves its newest version is left alone: a re-run after a
success is a no-op, and a re-run after a rollback deploys the same version again.
"""

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

SUCCEEDED, FAILED, STOPPED = "Succeeded", "Failed", "Stopped"
FINAL = {SUCCEEDED, FAILED, STOPPED}


@dataclass(frozen=True)
class Target:
    """One function of a component, as the apply left it (Terraform output `deployments`)."""

    function_name: str
    alias: str
    version: str  # the newest published version
    application: str  # CodeDeploy application and deployment group
    deployment_group: str


@dataclass(frozen=True)
class Shift:
    target: Target
    from_version: str
    deployment_id: str
    status: str = "Created"


class Deployments(Protocol):
    def alias_version(self, function_name: str, alias: str) -> str: ...
    def start(self, target: Target, from_version: str) -> str: ...
    def status(self, deployment_id: str) -> str: ...
    def stop(self, deployment_id: str) -> None: ...


class ShiftFailed(RuntimeError):
    def __init__(self, shifts: list[Shift]):
        failed = [s for s in shifts if s.status != SUCCEEDED]
        super().__init__(
            "Traffic shift failed; CodeDeploy rolled back "
            + ", ".join(
                f"{s.target.function_name} (deployment {s.deployment_id}: {s.status})" for s in failed
            )
        )
        self.shifts = shifts


def targets_from_output(output: dict[str, Any]) -> list[Target]:
    """Targets from a service root's `deployments` output: {function name: {alias, version, ...}}."""
    return [Target(function_name=name, **values) for name, values in sorted(output.items())]


def shift_all(
    targets: Iterable[Target],
    deployments: Deployments,
    log: Callable[[str], None] = print,
    poll_seconds: float = 15,
    timeout_seconds: float = 3600,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[Shift]:
    shifts = []
    for target in targets:
        current = deployments.alias_version(target.function_name, target.alias)
        if current == target.version:
            log(f"{target.function_name}:{target.alias} already serves version {target.version}")
            continue
        deployment_id = deployments.start(target, current)
        log(
            f"{target.function_name}:{target.alias} {current} -> {target.version}: deployment {deployment_id}"
        )
        shifts.append(Shift(target, current, deployment_id))
    deadline = clock() + timeout_seconds
    while any(s.status not in FINAL for s in shifts):
        if clock() > deadline:
            _stop_unfinished(shifts, deployments, log)
            raise ShiftFailed([_with(s, "TimedOut") if s.status not in FINAL else s for s in shifts])
        sleep(poll_seconds)
        shifts = [s if s.status in FINAL else _with(s, deployments.status(s.deployment_id)) for s in shifts]
        for shift in shifts:
            if shift.status in {FAILED, STOPPED}:
                _stop_unfinished(shifts, deployments, log)
                shifts = [s if s.status in FINAL else _with(s, STOPPED) for s in shifts]
                raise ShiftFailed(shifts)
    for shift in shifts:
        log(f"{shift.target.function_name}:{shift.target.alias} now serves version {shift.target.version}")
    return shifts


def _with(shift: Shift, status: str) -> Shift:
    return Shift(shift.target, shift.from_version, shift.deployment_id, status)


def _stop_unfinished(shifts: list[Shift], deployments: Deployments, log: Callable[[str], None]) -> None:
    for shift in shifts:
        if shift.status not in FINAL:
            log(f"stopping deployment {shift.deployment_id} of {shift.target.function_name} (rolled back)")
            deployments.stop(shift.deployment_id)


def appspec(target: Target, from_version: str) -> str:
    """The AppSpec of a Lambda deployment: move `alias` of the function from one version to another."""
    return json.dumps(
        {
            "version": 0.0,
            "Resources": [
                {
                    target.function_name: {
                        "Type": "AWS::Lambda::Function",
                        "Properties": {
                            "Name": target.function_name,
                            "Alias": target.alias,
                            "CurrentVersion": from_version,
                            "TargetVersion": target.version,
                        },
                    }
                }
            ],
        },
        sort_keys=True,
    )


class CodeDeploy:
    """Deployments through CodeDeploy and Lambda (boto3 clients)."""

    def __init__(self, codedeploy: Any, lambda_client: Any):
        self._codedeploy = codedeploy
        self._lambda = lambda_client

    def alias_version(self, function_name: str, alias: str) -> str:
        return self._lambda.get_alias(FunctionName=function_name, Name=alias)["FunctionVersion"]

    def start(self, target: Target, from_version: str) -> str:
        content = appspec(target, from_version)
        return self._codedeploy.create_deployment(
            applicationName=target.application,
            deploymentGroupName=target.deployment_group,
            description=f"{target.function_name}:{target.alias} {from_version} -> {target.version}",
            revision={"revisionType": "AppSpecContent", "appSpecContent": {"content": content}},
        )["deploymentId"]

    def status(self, deployment_id: str) -> str:
        return self._codedeploy.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"]

    def stop(self, deployment_id: str) -> None:
        self._codedeploy.stop_deployment(deploymentId=deployment_id, autoRollbackEnabled=True)
