"""`make plan` and `make deploy`: one component to one environment, as a person or a pipeline does it.

    python -m scripts.deploy plan   ENV COMPONENT [--plan FILE]
    python -m scripts.deploy deploy ENV COMPONENT [--plan FILE] [--yes]

plan: init with envs/ENV.backend.hcl, plan with envs/ENV.tfvars to FILE (default
dist/plans/ENV-COMPONENT.tfplan), the plan's text beside it (.txt) and, for a service, the sha256
of the package it was planned with (.package.sha256).
deploy: with --plan, applies that saved plan (the pipeline: planned in one job, applied in
another with the same package); without, plans first and, on a terminal, asks before applying.
Either way the package must be the one the plan was made with. Then, where CodeDeploy owns the
functions' aliases (prod), it moves them to the new versions and waits (scripts/deploy/traffic.py).
`make build` runs before both for a service, unless the package is already there (NO_BUILD=1 in
the pipeline, which downloads the one it built).
"""

import argparse
import hashlib
import sys
from pathlib import Path

import boto3

from scripts.deploy import components, terraform, traffic
from scripts.deploy.components import Target


class PackageMismatch(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _package_stamp(plan_file: Path) -> Path:
    return plan_file.with_suffix(".package.sha256")


def plan(target: Target, plan_file: Path) -> Path:
    if target.package is not None and not target.package.exists():
        raise PackageMismatch(f"{target.package} is missing: run `make build` first")
    terraform.init(target)
    terraform.plan(target, plan_file)
    plan_file.with_suffix(".txt").write_text(terraform.show(target, plan_file))
    if target.package is not None:
        _package_stamp(plan_file).write_text(_sha256(target.package) + "\n")
    return plan_file


def check_package(target: Target, plan_file: Path) -> None:
    """The package must be the one the plan was made with: a saved plan uploads whatever file is
    at the path when it is applied, and records the hash it saw at plan time."""
    if target.package is None:
        return
    stamp = _package_stamp(plan_file)
    if not stamp.exists():
        raise PackageMismatch(f"{stamp} is missing: the plan does not say which package it was made with")
    expected, found = stamp.read_text().strip(), _sha256(target.package)
    if expected != found:
        raise PackageMismatch(
            f"{target.package} (sha256 {found}) is not the package the plan was made with ({expected})"
        )


def deploy(target: Target, plan_file: Path | None, assume_yes: bool) -> None:
    if plan_file is None:
        plan_file = plan(target, target.plan_file)
        print(plan_file.with_suffix(".txt").read_text())
        if sys.stdin.isatty() and not assume_yes:
            answer = input(f"Apply this plan to {target.environment}/{target.component}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise SystemExit("Not applied.")
    else:
        terraform.init(target)
    check_package(target, plan_file)
    terraform.apply(target, plan_file)
    if target.package is not None:
        shift_traffic(target)


def shift_traffic(target: Target) -> None:
    targets = traffic.targets_from_output(terraform.output(target, "deployments"))
    if not targets:
        print(f"{target.environment}: Terraform moved the aliases (no CodeDeploy here)")
        return
    traffic.shift_all(targets, traffic.CodeDeploy(boto3.client("codedeploy"), boto3.client("lambda")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["plan", "deploy"])
    parser.add_argument("environment", metavar="ENV")
    parser.add_argument("component", metavar="COMPONENT")
    parser.add_argument("--plan", type=Path, help="the saved plan (default: dist/plans/ENV-COMPONENT.tfplan)")
    parser.add_argument("--yes", action="store_true", help="apply without asking (deploy without --plan)")
    args = parser.parse_args(argv)
    try:
        target = components.target(args.component, args.environment)
        if args.command == "plan":
            written = plan(target, args.plan or target.plan_file)
            print(f"plan saved: {written} (text: {written.with_suffix('.txt')})")
        else:
            deploy(target, args.plan, args.yes)
    except (
        components.UnknownTarget,
        PackageMismatch,
        terraform.TerraformFailed,
        traffic.ShiftFailed,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
