"""`make smoke [ENV=dev]`: the smoke steps (flow.py) against a deployed stage, or the local cloud.

    python -m scripts.smoke --env dev [--prefix shop]    # AWS: the default credentials and region
    python -m scripts.smoke [--port 3000]                 # the running local cloud (make run, PORT)

A deployed stage is found through its SSM parameters, with the credentials of the caller (the
pipeline's smoke role); the local cloud through its state directory, whose embedded AWS holds the
same parameters. Exit status 0 when every step passed, 1 otherwise, naming the step.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

import boto3

from scripts.localcloud import instance, system
from scripts.localcloud.aws.clients import client
from scripts.smoke.flow import Smoke, SmokeFailed, run
from scripts.smoke.stage import StageNotFound, from_parameters
from scripts.smoke.users import Users


class NoLocalCloud(RuntimeError):
    pass


def clients_for(environment: str | None, state_dir: Path) -> tuple[Any, Any, str]:
    """(ssm, cognito-idp, environment name) for a deployed stage, or for the local cloud whose
    state directory is `state_dir`."""
    if environment:
        return boto3.client("ssm"), boto3.client("cognito-idp"), environment
    endpoints = instance.endpoints(state_dir)
    if instance.running(state_dir) is None or endpoints is None:
        raise NoLocalCloud(f"no local cloud runs with {state_dir}: start `make run` first, or name ENV=")
    aws = endpoints["aws"]
    return client("ssm", aws), client("cognito-idp", aws), system.ENVIRONMENT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", help="a deployed environment (dev, prod); default: the local cloud")
    parser.add_argument("--prefix", default="shop", help="the names' prefix (default shop)")
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        ssm, cognito, environment = clients_for(args.env, instance.chosen_state_dir(args))
        stage = from_parameters(ssm, args.prefix, environment)
        print(f"smoke test of {environment}: {', '.join(stage.apis.values())}")
        run(Smoke(stage, Users(cognito, stage)))
    except (SmokeFailed, StageNotFound, NoLocalCloud) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
