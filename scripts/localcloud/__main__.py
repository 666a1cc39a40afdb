"""`make run`: starts the local cloud and serves the APIs until Ctrl-C.

python -m scripts.localcloud [--port PORT] [--state-dir DIR]
"""

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from scripts.localcloud import system
from scripts.localcloud.cloud import LocalCloud


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 3000))
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=system.ROOT / ".localcloud",
        help="logs, extracted packages and endpoints.json (default: .localcloud)",
    )
    parser.add_argument(
        "--redelivery-seconds",
        type=int,
        default=None,
        help="visibility timeout of queues instead of Terraform's (tests use a few seconds)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    started = time.monotonic()
    cloud = LocalCloud(
        port=args.port,
        state_dir=args.state_dir,
        console=lambda line: print(line, flush=True),
        redelivery_seconds=args.redelivery_seconds,
    )
    try:
        cloud.start()
        cloud.wait_until_warm()
        print(f"Local cloud ready in {time.monotonic() - started:.1f}s", flush=True)
        print(f"  APIs         {cloud.api_url}  ({', '.join(r.path for r in cloud.gateway.resources)})")
        print(f"  API docs     {cloud.api_url}/docs  (documents at /openapi/<service>.yaml)")
        print(f"  AWS endpoint {cloud.aws.endpoint}  (region {system.REGION}, any credentials)")
        print(f"  logs         {args.state_dir / 'logs'}/<function>.log")
        for name, pool in cloud.user_pools.items():
            print(f"  Sign-in      user pool {name} ({pool.id}); `make token USER=alice [ADMIN=1]`")
        print(f"  X-Ray        daemon on UDP {cloud.xray.address}; `make traces` shows the traces")
        print("Ctrl-C to stop.", flush=True)
        stop.wait()
    finally:
        print("Stopping...", flush=True)
        cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
