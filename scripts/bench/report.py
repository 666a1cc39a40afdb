"""The benchmark's figures: summarised from the samples, judged against the budgets, printed."""

import dataclasses
from typing import Any

from scripts.bench.batches import BATCH_ROUTES
from scripts.bench.latency import ColdStart, ColdStarts
from scripts.bench.routes import BASELINE, LIST_ROUTES, ROUTES
from scripts.bench.stats import median, p99, ratio

BUDGET_INIT_RATIO = 1.5
BUDGET_INIT_AND_FIRST_RATIO = 1.6
BUDGET_ZIP_BYTES = 4_000_000
BUDGET_CHECKOUT_CALLS = 5  # GetItem, BatchGetItem (the catalogue's prices), UpdateItem, PutEvents, DeleteItem
BUDGET_BASKET_CALLS = 2  # BatchGetItem (the catalogue's prices), UpdateItem
BUDGET_CONSUMER_CALLS = 2
BUDGET_NOOP_SECONDS = 1.0
CHECKOUT = "POST /basket/checkout"
SAVE_BASKET = "POST /basket"
BASELINE_ROUTE = next(r.name for r in ROUTES if r.function == BASELINE)


@dataclasses.dataclass
class Samples:
    """What one run measured, before it is summarised."""

    python: str  # the interpreter that ran the functions
    builds: dict[str, Any] | None  # None: no python3.13 to build the Lambda zips with
    sizes: dict[str, Any] | None
    cold: ColdStarts
    warm: dict[str, list[float]]
    flow: list[float]
    calls: dict[str, Any]
    rounds: int
    requests: int


def cold_start_figures(cold: ColdStarts) -> dict[str, Any]:
    """Per function its init, and per route (the event-driven functions' batches included) its
    first invocation and init plus first invocation: medians in ms, and the median of the ratios
    of each cold start to the baseline's just before it."""
    by_function: dict[str, list[tuple[ColdStart, ColdStart]]] = {}
    for route, pairs in cold.pairs.items():
        by_function.setdefault(cold.function[route], []).extend(pairs)
    baselines = [base for pairs in cold.pairs.values() for _, base in pairs]

    def paired(pairs: list[tuple[ColdStart, ColdStart]], figure: str) -> dict[str, float]:
        return {
            "median": round(median([getattr(found, figure) for found, _ in pairs]), 1),
            "ratio": round(
                median([getattr(found, figure) / getattr(base, figure) for found, base in pairs]), 2
            ),
        }

    init = {
        BASELINE: {"median": round(median([b.init for b in baselines]), 1), "n": len(baselines), "ratio": 1.0}
    }
    for function, pairs in by_function.items():
        figures = paired(pairs, "init")
        init[function] = {"median": figures["median"], "n": len(pairs), "ratio": figures["ratio"]}
    first = {
        BASELINE_ROUTE: {
            "function": BASELINE,
            "first": round(median([b.first for b in baselines]), 1),
            "first_ratio": 1.0,
            "init_and_first": round(median([b.init_and_first for b in baselines]), 1),
            "init_and_first_ratio": 1.0,
        }
    }
    for route, pairs in cold.pairs.items():
        one, both = paired(pairs, "first"), paired(pairs, "init_and_first")
        first[route] = {
            "function": cold.function[route],
            "first": one["median"],
            "first_ratio": one["ratio"],
            "init_and_first": both["median"],
            "init_and_first_ratio": both["ratio"],
        }
    return {"init_ms": init, "first_ms": first}


def first_http(cold: ColdStarts) -> dict[str, float]:
    """The first request's end-to-end latency by route (the baseline's over all its cold starts)."""
    found = {
        route: median([f.first_http for f, _ in pairs if f.first_http is not None])
        for route, pairs in cold.pairs.items()
        if route not in {batch.name for batch in BATCH_ROUTES}  # no request: invoked by a mapping
    }
    found[BASELINE_ROUTE] = median([b.first_http for pairs in cold.pairs.values() for _, b in pairs])
    return found


def summarise(s: Samples) -> dict[str, Any]:
    http = first_http(s.cold)
    base_http, base_p50, base_p99 = (
        http[BASELINE_ROUTE],
        median(s.warm[BASELINE_ROUTE]),
        p99(s.warm[BASELINE_ROUTE]),
    )
    return {
        "settings": {"rounds": s.rounds, "requests_per_route": s.requests, "python": s.python},
        "cold_starts": cold_start_figures(s.cold),
        "routes": {
            route.name: {
                "function": route.function,
                "customer": route.customer,
                "first_http_ms": round(http[route.name], 1),
                "first_http_ratio": ratio(http[route.name], base_http),
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


def _worst(figures: dict[str, Any], key: str) -> tuple[str, float]:
    name = max(figures, key=lambda n: figures[n][key])
    return name, figures[name][key]


def budgets(results: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """Each budget: (name, met, the figure that decides it)."""
    cold = results["cold_starts"]
    init = {f: v for f, v in cold["init_ms"].items() if f != BASELINE}
    first = {r: v for r, v in cold["first_ms"].items() if v["function"] != BASELINE}
    worst_init, init_ratio = _worst(init, "ratio")
    worst_first, first_ratio = _worst(first, "init_and_first_ratio")
    routes = results["routes"]
    scans = [name for name, r in routes.items() if r["customer"] and r["aws"]["scan"]]
    multi_page = [name for name in LIST_ROUTES if routes[name]["aws"]["calls"] != 1]
    checkout = routes[CHECKOUT]["aws"]["calls"]
    save_basket = routes[SAVE_BASKET]["aws"]["calls"]
    consumer = results["consumer_calls_per_record"]
    verdicts = [
        (
            f"init <= {BUDGET_INIT_RATIO} x baseline",
            init_ratio <= BUDGET_INIT_RATIO,
            f"worst {init_ratio} ({worst_init})",
        ),
        (
            f"init + first <= {BUDGET_INIT_AND_FIRST_RATIO} x baseline",
            first_ratio <= BUDGET_INIT_AND_FIRST_RATIO,
            f"worst {first_ratio} ({worst_first})",
        ),
    ]
    if results["packages"] is None:  # no python3.13: the Lambda zips were not built
        verdicts.append((f"zip <= {BUDGET_ZIP_BYTES / 1e6:g} MB", False, "not measured: no python3.13"))
    else:
        largest = max(results["packages"], key=lambda s: results["packages"][s]["zipped"])
        verdicts.append(
            (
                f"zip <= {BUDGET_ZIP_BYTES / 1e6:g} MB",
                results["packages"][largest]["zipped"] <= BUDGET_ZIP_BYTES,
                f"largest {results['packages'][largest]['zipped'] / 1e6:.2f} MB ({largest})",
            )
        )
    verdicts += [
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
    ]
    if results["builds"] is not None:
        slowest_noop = max(results["builds"], key=lambda s: results["builds"][s]["noop_s"])
        noop = results["builds"][slowest_noop]
        verdicts += [
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
    return verdicts


def render_cold_starts(results: dict[str, Any]) -> list[str]:
    cold, settings = results["cold_starts"], results["settings"]
    lines = [
        "",
        f"Cold starts (ms), median of {settings['rounds']} new environments per route, tracing on; functions",
        f"on {settings['python']}. init = process start to its first event request (Lambda's",
        "Init Duration); first = the first invocation (Lambda's Duration); x = median ratio of each",
        "cold start to a cold start of the baseline just before it (on the same interpreter).",
        f"  {'function / first request':<40}{'init':>7}{'x':>6}{'first':>8}{'x':>7}"
        f"{'init+first':>12}{'x':>6}",
    ]
    for function, init in cold["init_ms"].items():
        lines.append(f"  {function:<40}{init['median']:>7.0f}{init['ratio']:>6.2f}")
        for route, f in cold["first_ms"].items():
            if f["function"] == function:
                lines.append(
                    f"    {route:<38}{'':>13}{f['first']:>8.1f}{f['first_ratio']:>7.1f}"
                    f"{f['init_and_first']:>12.0f}{f['init_and_first_ratio']:>6.2f}"
                )
    return lines


def render(results: dict[str, Any]) -> str:
    lines = render_cold_starts(results)
    lines += [
        "",
        "Requests through API Gateway (ms): first = the first request of a new environment, end to end;",
        f"warm = {results['settings']['requests_per_route']} requests each; AWS calls per request "
        "counted by botocore hooks",
        f"  {'route':<32}{'first':>7}{'x':>6}{'p50':>8}{'x':>6}{'p99':>8}{'x':>6}  {'calls':<34}",
    ]
    for name, r in results["routes"].items():
        operations = "+".join(r["aws"]["operations"]) or "-"
        flags = ("  SCAN" if r["aws"]["scan"] else "") + ("" if r["customer"] else "  (operators)")
        lines.append(
            f"  {name:<32}{r['first_http_ms']:>7.0f}{r['first_http_ratio']:>6.1f}{r['warm_p50_ms']:>8.1f}"
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
    ]
    if results["packages"] is None:
        lines.append("Packages and builds: not measured (no python3.13 to build the Lambda zips with)")
    else:
        lines += [
            "Packages (python3.13 arm64 zips)",
            f"  {'service':<10}{'zipped':>10}{'unzipped':>11}{'files':>7}  largest (zipped)",
        ]
        for service, s in results["packages"].items():
            largest = ", ".join(f"{x['name']} {x['zipped'] / 1e6:.2f}" for x in s["largest"])
            zipped, unzipped = s["zipped"] / 1e6, s["unzipped"] / 1e6
            lines.append(f"  {service:<10}{zipped:>9.2f}M{unzipped:>10.2f}M{s['files']:>7}  {largest}")
        lines += ["", "Build", f"  {'service':<10}{'clean':>8}{'no-op':>9}  identical"]
        for service, b in results["builds"].items():
            identical = "yes" if b["identical"] else "NO"
            lines.append(f"  {service:<10}{b['clean_s']:>7.1f}s{b['noop_s']:>8.3f}s  {identical}")
    lines += ["", "Budgets"]
    for name, met, detail in budgets(results):
        lines.append(f"  {'met    ' if met else 'NOT MET'}  {name:<36}{detail}")
    return "\n".join(lines)
