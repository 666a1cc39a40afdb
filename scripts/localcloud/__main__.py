"""`make run`: starts the local cloud and serves the APIs until Ctrl-C.

    python -m scripts.localcloud [--port PORT] [--aws-port PORT] [--state-dir DIR] [--fresh]

The state of its AWS (tables, queues, users) is saved at Ctrl-C, and every few seconds, in the
state directory, and put back at the next start; --fresh (FRESH=1) starts empty instead.
Environment: PORT (3000), AWS_PORT (4566), FRESH.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from scripts.localcloud import instance, system
from scripts.localcloud.cloud import LocalCloud
from scripts.localcloud.interrupt import Interrupt
from scripts.localcloud.persistence import INTERVAL, Persistence, contents
from scripts.localcloud.process import READY


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=instance.port_from_environment(), help="the APIs' port")
    parser.add_argument(
        "--aws-port",
        type=int,
        default=int(os.environ.get("AWS_PORT") or instance.DEFAULT_AWS_PORT),
        help="the embedded AWS's port (0: any free one)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        help="logs, packages, saved AWS state, endpoints.json (default .localcloud/PORT)",
    )
    parser.add_argument(
        "--fresh", action="store_true", default=_flag("FRESH"), help="start with an empty AWS"
    )
    parser.add_argument(
        "--snapshot-seconds",
        type=float,
        default=INTERVAL,
        help=f"save the AWS state this often when it changed (default {INTERVAL:g}; 0: only at Ctrl-C)",
    )
    parser.add_argument("--no-reload", action="store_true", help="do not watch services/ for changes")
    parser.add_argument(
        "--redelivery-seconds",
        type=int,
        default=None,
        help="visibility timeout of queues instead of Terraform's (tests use a few seconds)",
    )
    return parser.parse_args(argv)


def summary(cloud: LocalCloud, state_dir: Path, seconds: float) -> list[str]:
    """What `make run` prints once ready; its last line says it is ready to use."""
    assert cloud.gateway is not None and cloud.xray is not None
    routes = ", ".join(r.path for r in cloud.gateway.stage.resources)
    lines = [
        f"Local cloud ready in {seconds:.1f}s",
        f"  APIs         {cloud.api_url}  ({routes})",
        f"  API docs     {cloud.api_url}/docs  (documents at /openapi/<service>.yaml)",
        f"  AWS endpoint {cloud.aws.endpoint}  (region {system.REGION}, any credentials: "
        f"aws --endpoint-url {cloud.aws.endpoint} sqs list-queues)",
        f"  State        {cloud.state}: {contents(cloud.aws.endpoint, cloud.services)}",
        f"  logs         {state_dir / 'logs'}/<function>.log",
    ]
    for name, pool in cloud.user_pools.items():
        lines.append(f"  Sign-in      user pool {name} ({pool.id}); `make token USER=alice [ADMIN=1]`")
    lines.append(f"  X-Ray        daemon on UDP {cloud.xray.address}; `make traces` shows the traces")
    if cloud.reload:
        lines.append("  Hot reload   a change saved under services/ replaces that service's functions")
    lines.append(f"{READY} (the AWS state is saved; FRESH=1 make run or make reset start empty).")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    state_dir = args.state_dir or instance.state_dir(args.port)
    stop = Interrupt()  # before anything starts: Ctrl-C during the start stops once started

    def console(line: str) -> None:
        print(line, flush=True)

    started = time.monotonic()
    cloud = LocalCloud(
        port=args.port,
        state_dir=state_dir,
        console=console,
        redelivery_seconds=args.redelivery_seconds,
        aws_port=args.aws_port,
        persistence=Persistence(state_dir, args.fresh, args.snapshot_seconds or None, console),
        reload=not args.no_reload,
    )
    try:
        cloud.start()
    except instance.Refused as refusal:
        print(f"The local cloud did not start: {refusal}", file=sys.stderr, flush=True)
        return 1
    try:
        cloud.wait_until_warm()
        for line in summary(cloud, state_dir, time.monotonic() - started):
            console(line)
        stop.wait()
    finally:
        console("Stopping...")
        cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
