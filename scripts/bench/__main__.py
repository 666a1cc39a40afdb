"""`make bench`: what a Lambda user pays for, measured in one run on the local cloud.

    python -m scripts.bench [--rounds N] [--requests N] [--out FILE]

Prints one table and writes it as JSON (dist/bench.json). Every figure is a median (or a
percentile) of several runs, beside the baseline measured in the same run: a function that
imports boto3 and makes one DynamoDB client, behind a route that answers a constant. These
machines are noisy; read the ratios.
"""

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.bench import awscalls, latency, packages
from scripts.bench.routes import BASELINE, LIST_ROUTES, ROUTES, Fixtures
from scripts.bench.stats import median, p99, ratio
from scripts.localcloud import process, system
from scripts.localcloud.cloud import LocalCloud

BUDGET_INIT_RATIO = 1.5
BUDGET_ZIP_BYTES = 4_000_000
BUDGET_CHECKOUT_CALLS = 5  # GetItem, BatchGetItem (the catalogue's prices), UpdateItem, PutEvents, DeleteItem
BUDGET_BASKET_CALLS = 2  # BatchGetItem (the catalogue's prices), UpdateItem
BUDGET_CONSUMER_CALLS = 2
BUDGET_NOOP_SECONDS = 1.0
CHECKOUT = "POST /basket/checkout"
SAVE_BASKET = "POST /basket"


def baseline_service() -> system.Service:
    directory = Path(__file__).with_name("baseline")
    function = system.Function(BASELINE, "baseline", "baseline.lambda_handler", timeout=10, memory=256)
    return system.Service(
        name="baseline",
        functions=(function,),
        apis=(system.Api(BASELINE, BASELINE, directory / "openapi.yaml"),),
    )


def as_on_lambda(service: system.Service) -> system.Service:
    """Lambda's /var/task is read-only: with no bytecode in the zip, each cold start compiles
    the package's modules. Writing no bytecode locally keeps that cost in the figures."""
    functions = tuple(
        dataclasses.replace(f, environment={**f.environment, "PYTHONDONTWRITEBYTECODE": "1"})
        for f in service.functions
    )
    return dataclasses.replace(service, functions=functions)


def measure(scratch: Path, rounds: int, requests: int) -> dict[str, Any]:
    print("Building every zip twice from scratch ...", flush=True)
    builds = packages.builds(scratch / "builds")
    sizes = {service: packages.size(Path(found["zip"])) for service, found in builds.items()}
    baseline_package = shutil.copytree(Path(__file__).with_name("baseline"), scratch / "baseline")
    cloud = LocalCloud(
        port=process.free_port(),
        state_dir=scratch / "cloud",
        services=tuple(as_on_lambda(s) for s in (*system.SERVICES, baseline_service())),
        console=lambda _: None,
        prepared={"baseline": baseline_package},
    )
    print("Starting the local cloud ...", flush=True)
    cloud.start()
    try:
        cloud.wait_until_warm()
        fixtures = Fixtures(latency.HttpApi(cloud.api_url, cloud.aws.endpoint))
        print(f"Cold starts: {rounds} rounds of a new environment per route ...", flush=True)
        functions = tuple(cloud.pools)
        init, init_bytecode, first = latency.cold_starts(cloud, fixtures, rounds, functions, scratch)
        print(f"Warm requests: {requests} per route ...", flush=True)
        warm = latency.warm_requests(fixtures, requests)
        flow = latency.checkout_to_order(fixtures, max(10, rounds * 2))
        print("Counting AWS calls ...", flush=True)
        calls = awscalls.measure(cloud.aws.endpoint)
    finally:
        cloud.stop()
    return summarise(Samples(builds, sizes, init, init_bytecode, first, warm, flow, calls, rounds, requests))


def init_figures(init: dict[str, list[float]]) -> dict[str, Any]:
    base = median(init[BASELINE])
    return {
        function: {
            "median": round(median(samples), 1),
            "n": len(samples),
            "ratio": ratio(median(samples), base),
        }
        for function, samples in init.items()
    }


@dataclasses.dataclass
class Samples:
    """What one run measured, before it is summarised."""

    builds: dict[str, Any]
    sizes: dict[str, Any]
    init: dict[str, list[float]]
    init_bytecode: dict[str, list[float]]
    first: dict[str, list[float]]
    warm: dict[str, list[float]]
    flow: list[float]
    calls: dict[str, Any]
    rounds: int
    requests: int


def summarise(s: Samples) -> dict[str, Any]:
    base = next(r for r in ROUTES if r.function == BASELINE).name
    base_first, base_p50, base_p99 = median(s.first[base]), median(s.warm[base]), p99(s.warm[base])
    return {
        "settings": {"rounds": s.rounds, "requests_per_route": s.requests},
        "init_ms": init_figures(s.init),
        "init_with_bytecode_ms": init_figures(s.init_bytecode),
        "routes": {
            route.name: {
                "function": route.function,
                "customer": route.customer,
                "first_ms": round(median(s.first[route.name]), 1),
                "first_ratio": ratio(median(s.first[route.name]), base_first),
                "warm_p50_ms": round(median(s.warm[route.name]), 2),
                "warm_p50_ratio": ratio(median(s.warm[route.name]), base_p50),
                "warm_p99_ms": round(p99(s.warm[route.name]), 2),
                "warm_p99_ratio": ratio(p99(s.warm[route.name]), base_p99),
                "aws": s.calls["routes"][route.name],
            }
            for route in ROUTES
        },
        "consumer_calls_per_record": s.calls["consumer"],
        "checkout_to_order_ms": {
            "p50": round(median(s.flow), 1),
            "p99": round(p99(s.flow), 1),
            "n": len(s.flow),
        },
        "packages": s.sizes,
        "builds": s.builds,
    }


def budgets(results: dict[str, Any]) -> list[tuple[str, bool, str]]:
    init = {f: v for f, v in results["init_ms"].items() if f != BASELINE}
    worst_init = max(init, key=lambda f: init[f]["ratio"])
    largest = max(results["packages"], key=lambda s: results["packages"][s]["zipped"])
    routes = results["routes"]
    scans = [name for name, r in routes.items() if r["customer"] and r["aws"]["scan"]]
    multi_page = [name for name in LIST_ROUTES if routes[name]["aws"]["calls"] != 1]
    checkout = routes[CHECKOUT]["aws"]["calls"]
    save_basket = routes[SAVE_BASKET]["aws"]["calls"]
    consumer = results["consumer_calls_per_record"]
    slowest_noop = max(results["builds"], key=lambda s: results["builds"][s]["noop_s"])
    noop = results["builds"][slowest_noop]
    return [
        (
            f"init <= {BUDGET_INIT_RATIO} x baseline",
            init[worst_init]["ratio"] <= BUDGET_INIT_RATIO,
            f"worst {init[worst_init]['ratio']} ({worst_init})",
        ),
        (
            f"zip <= {BUDGET_ZIP_BYTES / 1e6:g} MB",
            results["packages"][largest]["zipped"] <= BUDGET_ZIP_BYTES,
            f"largest {results['packages'][largest]['zipped'] / 1e6:.2f} MB ({largest})",
        ),
        ("no Scan on a customer route", not scans, ", ".join(scans) or "none"),
        ("list routes read one page", not multi_page, ", ".join(multi_page) or "one call each"),
        (
            f"checkout <= {BUDGET_CHECKOUT_CALLS} calls",
            checkout <= BUDGET_CHECKOUT_CALLS,
            f"{checkout} calls",
        ),
        (
            f"POST /basket <= {BUDGET_BASKET_CALLS} calls",
            save_basket <= BUDGET_BASKET_CALLS,
            f"{save_basket} calls",
        ),
        (
            f"consumer <= {BUDGET_CONSUMER_CALLS} calls/record",
            max(consumer["new"], consumer["duplicate"]) <= BUDGET_CONSUMER_CALLS,
            f"{consumer['new']:g} new, {consumer['duplicate']:g} duplicate",
        ),
        (
            f"no-op rebuild < {BUDGET_NOOP_SECONDS:g} s",
            noop["noop_s"] < BUDGET_NOOP_SECONDS and not noop["noop_rebuilt"],
            f"slowest {noop['noop_s']} s ({slowest_noop})",
        ),
        (
            "clean builds byte-identical",
            all(b["identical"] for b in results["builds"].values()),
            ", ".join(s for s, b in results["builds"].items() if not b["identical"]) or "all",
        ),
    ]


def render(results: dict[str, Any]) -> str:
    rounds = results["settings"]["rounds"]
    lines = [
        "",
        f"Init duration (ms): process start to the first event request; median of {rounds} new environments,",
        "tracing on. As built: no bytecode in the zips, so each start compiles the modules, as on",
        "Lambda. With bytecode: the same package with this interpreter's .pyc files beside.",
        f"  {'function':<28}{'as built':>9}{'x base':>8}{'bytecode':>10}{'x base':>8}",
    ]
    for function, figures in results["init_ms"].items():
        compiled = results["init_with_bytecode_ms"][function]
        lines.append(
            f"  {function:<28}{figures['median']:>9.0f}{figures['ratio']:>8.2f}"
            f"{compiled['median']:>10.0f}{compiled['ratio']:>8.2f}"
        )
    lines += [
        "",
        "Requests through API Gateway (ms): first = the first request of a new environment "
        f"(median of {rounds}),",
        f"warm = {results['settings']['requests_per_route']} requests each; AWS calls per request "
        "counted by botocore hooks",
        f"  {'route':<32}{'first':>7}{'x':>6}{'p50':>8}{'x':>6}{'p99':>8}{'x':>6}  {'calls':<34}",
    ]
    for name, r in results["routes"].items():
        operations = "+".join(r["aws"]["operations"]) or "-"
        flags = ("  SCAN" if r["aws"]["scan"] else "") + ("" if r["customer"] else "  (operators)")
        lines.append(
            f"  {name:<32}{r['first_ms']:>7.0f}{r['first_ratio']:>6.1f}{r['warm_p50_ms']:>8.1f}"
            f"{r['warm_p50_ratio']:>6.1f}{r['warm_p99_ms']:>8.1f}{r['warm_p99_ratio']:>6.1f}"
            f"  {r['aws']['calls']} {operations}{flags}"
        )
    consumer = results["consumer_calls_per_record"]
    flow = results["checkout_to_order_ms"]
    lines += [
        f"  order consumer, per record: {consumer['new']:g} call(s) new, {consumer['duplicate']:g} duplicate"
        f" ({'+'.join(consumer['operations'])})",
        f"  checkout 202 -> order visible: p50 {flow['p50']} ms, p99 {flow['p99']} ms (n={flow['n']})",
        "",
        "Packages (python3.13 arm64 zips)",
        f"  {'service':<10}{'zipped':>10}{'unzipped':>11}{'files':>7}  largest (zipped)",
    ]
    for service, s in results["packages"].items():
        largest = ", ".join(f"{x['name']} {x['zipped'] / 1e6:.2f}" for x in s["largest"])
        zipped, unzipped = s["zipped"] / 1e6, s["unzipped"] / 1e6
        lines.append(f"  {service:<10}{zipped:>9.2f}M{unzipped:>10.2f}M{s['files']:>7}  {largest}")
    lines += ["", "Build", f"  {'service':<10}{'clean':>8}{'no-op':>9}  identical"]
    for service, b in results["builds"].items():
        lines.append(
            f"  {service:<10}{b['clean_s']:>7.1f}s{b['noop_s']:>8.3f}s  {'yes' if b['identical'] else 'NO'}"
        )
    lines += ["", "Budgets"]
    for name, met, detail in budgets(results):
        lines.append(f"  {'met    ' if met else 'NOT MET'}  {name:<36}{detail}")
    return "\n".join(lines)


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
    for service in results["builds"].values():
        del service["zip"]  # a temporary path
    results["budgets"] = [{"budget": n, "met": m, "detail": d} for n, m, d in budgets(results)]
    print(render(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
