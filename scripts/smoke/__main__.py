"""`make smoke [ENV=dev]`: the smoke steps (flow.py) against a deployed stage, or the local cloud.

    python -m scripts.smoke --env dev [--prefix shop]    # AWS: the default credentials and region
    python -m scripts.smoke [--port 3000]                 # the running local cloud (make run)

A deployed stage is found through its SSM parameters, with the credentials of the caller (the
pipeline's smoke role); the local cloud through its state directory, whose embedded AWS holds the
same parameters. Exit status 0 when every step passed, 1 otherwise, naming the step.
"""

import argparse
import sys

import boto3

from scripts.smoke.flow import Smoke, SmokeFailed, run
from scripts.smoke.stage import StageNotFound, from_parameters
from scripts.smoke.users import Users


def clients_for(environment: str | None, port: int) -> tuple[object, object, str]:
    """(ssm, cognito-idp, environment name) for a deployed stage, or for the local cloud on `port`."""
    if environment:
        return boto3.client("ssm"), boto3.client("cognito-idp"), environment
    from scripts.localcloud import instance

    local = instance.running(port)
    return local.client("ssm"), local.client("cognito-idp"), local.environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", help="a deployed environment (dev, prod); default: the local cloud")
    parser.add_argument("--prefix", default="shop", help="the names' prefix (default shop)")
    parser.add_argument("--port", type=int, default=3000, help="the local cloud's API port (default 3000)")
    args = parser.parse_args(argv)
    try:
        ssm, cognito, environment = clients_for(args.env, args.port)
        stage = from_parameters(ssm, args.prefix, environment)
        print(f"smoke test of {environment}: {', '.join(stage.apis.values())}")
        run(Smoke(stage, Users(cognito, stage)))
    except (SmokeFailed, StageNotFound) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
