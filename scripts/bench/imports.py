"""What each function's init imports and runs, and what that costs, on the local cloud.

    python -m scripts.bench.imports [--rounds N] [--top N] [--json FILE]

Each function (and the baseline) runs from its local build under scripts/bench/probe.py,
which times the import of every module in CPU time (nested imports apart: "self") and lists
every module compiled from source at import. Each gets a new execution environment and one
request per route (an event-driven function, a batch of one record: scripts/bench/batches.py),
in each of a few rounds; the least of each figure is kept. Printed per function: the time to
import its handler module (Lambda's init after the interpreter and the runtime client have
started), split by what the time went to (a module's own body counts for its package: our
modules' bodies build models and clients, for instance); its largest imports; what the first
requests imported; and every module that compiled. For the measurements behind
scripts/build.py's LEFT_AS_SOURCE and the code cuts of issue 16; compare figures of one run.
"""

import argparse
import contextlib
import dataclasses
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from scripts import build, lambda_python
from scripts.bench import latency
from scripts.bench.__main__ import as_on_lambda, baseline_package, baseline_service
from scripts.bench.batches import BATCH_ROUTES
from scripts.bench.routes import ROUTES, Fixtures
from scripts.localcloud import process, system
from scripts.localcloud.functions.packages import extract

PROBE = Path(__file__).with_name("probe.py")
# Where the time goes, by top-level package.
GROUPS = {
    "boto3 (Lambda runtime)": {"boto3", "botocore", "urllib3", "s3transfer", "jmespath", "dateutil", "six"},
    "pydantic": {"pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"},
    "Powertools": {"aws_lambda_powertools"},
    "X-Ray SDK": {"aws_xray_sdk", "wrapt"},
    "email-validator": {"email_validator", "idna"},
    "our code": {"product", "basket", "order", "shop_common", "baseline"},
}


def group(module: str) -> str:
    top = module.split(".")[0]
    return next((name for name, tops in GROUPS.items() if top in tops), "standard library")


def probed(service: system.Service) -> system.Service:
    functions = tuple(
        dataclasses.replace(
            f, handler="probe.lambda_handler", environment={**f.environment, "BENCH_HANDLER": f.handler}
        )
        for f in service.functions
    )
    return dataclasses.replace(service, functions=functions)


def packages(scratch: Path, services: tuple[system.Service, ...], probe: bool = True) -> dict[str, Path]:
    """Each package extracted from its local build (the baseline's as the bench builds it), with
    the probe beside the handler if asked."""
    found = {}
    for package in sorted({f.package for s in services for f in s.functions}):
        if package == "baseline":
            directory = baseline_package(scratch / "baseline")
        else:
            directory = extract(build.build(package, "local").path, scratch / "packages" / package)
        if probe:
            shutil.copyfile(PROBE, directory / "probe.py")
        found[package] = directory
    return found


def lowest(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """One probe answer of several rounds: each figure the lowest seen, as the least disturbed."""
    first = answers[0]

    def least(key: str) -> list[tuple[str, int, int, int]]:
        best: dict[str, list[int]] = {}
        for answer in answers:
            for module, self_ns, cumulative, depth in answer[key]:
                found = best.setdefault(module, [self_ns, cumulative, depth])
                found[0], found[1] = min(found[0], self_ns), min(found[1], cumulative)
        return [(module, *figures) for module, figures in best.items()]

    return {
        **first,
        "handler_import_ms": min(a["handler_import_ms"] for a in answers),
        "init": least("init"),
        "requests": least("requests"),
        "rounds": len(answers),
    }


def measure(scratch: Path, rounds: int) -> dict[str, Any]:
    services = tuple(probed(as_on_lambda(s)) for s in (*system.SERVICES, baseline_service()))
    cloud = latency.BenchCloud(
        port=process.free_port(),
        state_dir=scratch / "cloud",
        services=services,
        console=lambda _: None,
        prepared=packages(scratch, services),
    )
    cloud.start()
    try:
        cloud.wait_until_warm()
        fixtures = Fixtures(latency.HttpApi(cloud.api_url, cloud.aws.endpoint))
        answers: dict[str, list[dict[str, Any]]] = {function: [] for function in cloud.pools}
        batches = {batch.function: batch for batch in BATCH_ROUTES}
        for _ in range(rounds):
            for function in cloud.pools:
                with cloud.alone(function) if function in batches else contextlib.nullcontext():
                    cloud.recycle(function)
                    for route in (r for r in ROUTES if r.function == function):
                        fixtures.call(route.prepare(fixtures), route.status)
                    if function in batches:
                        cloud.invoke_alone(function, json.dumps(batches[function].batch()).encode())
                    answer = cloud.pools[function].invoke(b'{"benchProbe": true}')
                answers[function].append(json.loads(answer.payload))
    finally:
        cloud.stop()
    return {"python": str(lambda_python.local()), "functions": {f: lowest(a) for f, a in answers.items()}}


def render(results: dict[str, Any], top: int) -> str:
    lines = [f"What each function's init imports, on {results['python']} (CPU ms, least of the rounds)"]
    for function, found in results["functions"].items():
        init = found["init"]
        by_group: Counter[str] = Counter()
        for module, self_ns, _, _ in init:
            by_group[group(module)] += self_ns
        split = ", ".join(f"{name} {ns / 1e6:.0f}" for name, ns in by_group.most_common())
        lines += [
            "",
            f"{function}: handler imported in {found['handler_import_ms']:.0f} ms ({len(init)} modules)",
            f"  by package (ms): {split}",
            "  largest imports (cumulative ms):",
        ]
        largest = sorted(init, key=lambda i: -i[2])[:top]
        lines += [
            f"  {cumulative / 1e6:8.1f}  {'  ' * depth}{module}" for module, _, cumulative, depth in largest
        ]
        requests = found["requests"]
        lines.append(
            f"  imported by the first requests: {len(requests)} modules, "
            f"{sum(i[1] for i in requests) / 1e6:.1f} ms: {', '.join(i[0] for i in requests if i[3] == 0)}"
        )
        compiled = found["init_compiled"] + found["requests_compiled"]
        lines.append(f"  compiled from source: {', '.join(compiled) or 'nothing'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--top", type=int, default=12, help="largest imports shown per function")
    parser.add_argument("--rounds", type=int, default=3, help="new environments per function (default 3)")
    parser.add_argument("--json", type=Path, help="write every import's figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="imports-") as directory:
        results = measure(Path(directory), args.rounds)
    print(render(results, args.top))
    if args.json:
        args.json.write_text(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
