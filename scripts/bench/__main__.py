"""`make bench`: what a Lambda user pays for, measured in one run on the local cloud.

    python -m scripts.bench [--rounds N] [--requests N] [--out FILE]

Prints one table and writes it as JSON (dist/bench.json). Every figure is a median (or a
percentile) of several runs, beside the baseline measured in the same run and interleaved
with it: a function that imports boto3 and makes one DynamoDB client, behind a route that
answers a constant. These machines are noisy; read the ratios.

Fair to the baseline: it runs on the same interpreter as the functions (python3.13 when there
is one: scripts/lambda_python.py), from a package built as ours are (its module compiled into
__pycache__), with the same runtime packages (boto3 compiled at install, as Lambda's are), the
same environment and tracing, and no bytecode written (PYTHONDONTWRITEBYTECODE, as /var/task
is read-only). The functions run from the local build: the Lambda zip's layout and bytecode,
with this machine's wheels. The Lambda zips themselves are built for the sizes and builds.
"""

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts import bytecode_layout, lambda_python
from scripts.bench import awscalls, latency, packages, report
from scripts.bench.routes import BASELINE, Fixtures
from scripts.localcloud import process, system

BASELINE_DIR = Path(__file__).with_name("baseline")


def baseline_service() -> system.Service:
    function = system.Function(BASELINE, "baseline", "baseline.lambda_handler", timeout=10, memory=256)
    return system.Service(
        name="baseline",
        functions=(function,),
        apis=(system.Api(BASELINE, BASELINE, BASELINE_DIR / "openapi.yaml"),),
    )


def baseline_package(scratch: Path) -> Path:
    """The baseline's module with its bytecode beside it, as our own modules are built."""
    files = bytecode_layout.with_bytecode(
        {}, {"baseline.py": BASELINE_DIR / "baseline.py"}, lambda_python.local(), scratch
    )
    package = scratch / "package"
    for name, path in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, package / name)
    return package


def as_on_lambda(service: system.Service) -> system.Service:
    """Lambda's /var/task is read-only: nothing writes bytecode there, so a module without any
    in the package compiles at every cold start. Writing none locally keeps that in the figures."""
    functions = tuple(
        dataclasses.replace(f, environment={**f.environment, "PYTHONDONTWRITEBYTECODE": "1"})
        for f in service.functions
    )
    return dataclasses.replace(service, functions=functions)


def lambda_builds(scratch: Path) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Builds and sizes of the Lambda zips; (None, None) without a python3.13 to build them."""
    if lambda_python.find() is None:
        print(f"Not building the Lambda zips: {lambda_python.NoLambdaPython([])}", flush=True)
        return None, None
    print("Building every zip twice from scratch ...", flush=True)
    builds = packages.builds(scratch / "builds")
    return builds, {service: packages.size(Path(found["zip"])) for service, found in builds.items()}


def measure(scratch: Path, rounds: int, requests: int) -> dict[str, Any]:
    builds, sizes = lambda_builds(scratch)
    print(lambda_python.local_summary(), flush=True)
    cloud = latency.BenchCloud(
        port=process.free_port(),
        state_dir=scratch / "cloud",
        services=tuple(as_on_lambda(s) for s in (*system.SERVICES, baseline_service())),
        console=lambda _: None,
        prepared={"baseline": baseline_package(scratch / "baseline")},
    )
    print("Starting the local cloud ...", flush=True)
    cloud.start()
    try:
        cloud.wait_until_warm()
        fixtures = Fixtures(latency.HttpApi(cloud.api_url, cloud.aws.endpoint))
        print(f"Cold starts: {rounds} rounds of a new environment per route ...", flush=True)
        cold = latency.cold_starts(cloud, fixtures, rounds)
        print(f"Warm requests: {requests} per route ...", flush=True)
        warm = latency.warm_requests(fixtures, requests)
        flow = latency.checkout_to_order(fixtures, max(10, rounds * 2))
        print("Counting AWS calls ...", flush=True)
        calls = awscalls.measure(cloud.aws.endpoint)
    finally:
        cloud.stop()
    python = str(lambda_python.local())
    return report.summarise(report.Samples(python, builds, sizes, cold, warm, flow, calls, rounds, requests))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="new environments per route (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="warm requests per route (default 200)")
    parser.add_argument("--out", type=Path, default=system.ROOT / "dist" / "bench.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        results = measure(Path(directory), args.rounds, args.requests)
    for service in (results["builds"] or {}).values():
        del service["zip"]  # a temporary path
    results["budgets"] = [{"budget": n, "met": m, "detail": d} for n, m, d in report.budgets(results)]
    print(report.render(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
