"""The benchmark's budget verdicts: each one fails when its figure breaks it."""

import copy

import pytest

from scripts.bench import report as bench
from scripts.bench.batches import ORDER_CONSUMER as CONSUMER
from scripts.bench.packages import size
from scripts.bench.routes import BASELINE, LIST_ROUTES, ROUTES


def aws(calls=1, scan=False, operations=("GetItem",)):
    return {"calls": calls, "scan": scan, "operations": list(operations), "varies": False}


@pytest.fixture
def results():
    routes = {r.name: {"customer": r.customer, "aws": aws()} for r in ROUTES}
    routes[bench.CHECKOUT]["aws"] = aws(4)
    first = {r.name: {"function": r.function, "init_and_first_ratio": 1.0} for r in ROUTES}
    first["consumer batch"] = {"function": CONSUMER, "init_and_first_ratio": 1.5}
    return {
        "cold_starts": {
            "init_ms": {BASELINE: {"ratio": 1.0}, "f": {"ratio": 1.4}, CONSUMER: {"ratio": 1.2}},
            "first_ms": first,
        },
        "packages": {"product": {"zipped": 3_900_000}},
        "routes": routes,
        "consumer_calls_per_record": {"new": 1, "duplicate": 1},
        "builds": {"product": {"noop_s": 0.01, "noop_rebuilt": False, "identical": True}},
    }


def verdicts(results):
    return {name: met for name, met, _ in bench.budgets(results)}


def test_figures_within_every_budget_meet_them_all(results):
    assert all(verdicts(results).values())


BREAKS = {
    "init <=": lambda r: r["cold_starts"]["init_ms"]["f"].update(ratio=1.51),
    "init + first": lambda r: r["cold_starts"]["first_ms"]["POST /product"].update(init_and_first_ratio=1.61),
    "zip": lambda r: r["packages"]["product"].update(zipped=4_000_001),
    "Scan": lambda r: r["routes"]["GET /product/{id}"]["aws"].update(scan=True),
    "one page": lambda r: r["routes"][sorted(LIST_ROUTES)[0]]["aws"].update(calls=2),
    "checkout": lambda r: r["routes"][bench.CHECKOUT]["aws"].update(calls=6),
    "POST /basket": lambda r: r["routes"][bench.SAVE_BASKET]["aws"].update(calls=3),
    "consumer": lambda r: r["consumer_calls_per_record"].update(duplicate=3),
    "no-op": lambda r: r["builds"]["product"].update(noop_rebuilt=True),
    "identical": lambda r: r["builds"]["product"].update(identical=False),
}


@pytest.mark.parametrize("budget", sorted(BREAKS))
def test_each_budget_fails_on_its_own_figure(results, budget):
    broken = copy.deepcopy(results)
    BREAKS[budget](broken)
    failed = [name for name, met in verdicts(broken).items() if not met]
    assert len(failed) == 1 and budget in failed[0]


def test_a_scan_on_an_operators_route_is_allowed(results):
    operators = next(r.name for r in ROUTES if not r.customer)
    results["routes"][operators]["aws"]["scan"] = True
    assert all(verdicts(results).values())


def test_package_size_names_the_largest_distributions(tmp_path):
    import zipfile

    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("big/a.py", b"x" * 300)
        archive.writestr("big-1.0.dist-info/METADATA", b"x" * 100)
        archive.writestr("mid.py", b"x" * 200)
        archive.writestr("small/b.py", b"x" * 10)
        archive.writestr("tiny/c.py", b"x")
    found = size(path)
    assert [x["name"] for x in found["largest"]] == ["big", "mid", "small"]
    assert found["largest"][0]["zipped"] == 400 and found["unzipped"] == 611 and found["files"] == 5


def test_the_consumers_first_batch_counts_for_init_and_first(results):
    results["cold_starts"]["first_ms"]["consumer batch"]["init_and_first_ratio"] = 1.61
    assert [name for name, met in verdicts(results).items() if not met] == ["init + first <= 1.6 x baseline"]


def test_the_baseline_itself_is_not_judged(results):
    results["cold_starts"]["init_ms"][BASELINE]["ratio"] = 9
    results["cold_starts"]["first_ms"]["GET /baseline"]["init_and_first_ratio"] = 9
    assert all(verdicts(results).values())


def test_without_python313_the_zips_are_not_measured_and_their_budget_is_not_met(results):
    results["packages"] = results["builds"] = None
    found = {name: (met, detail) for name, met, detail in bench.budgets(results)}
    assert found["zip <= 4 MB"] == (False, "not measured: no python3.13")
    assert not [name for name in found if "rebuild" in name or "identical" in name]


def test_each_cold_start_is_compared_with_the_baselines_just_before_it():
    """Ratios are medians of paired ratios: a slow moment of the machine slows both."""
    from scripts.bench.latency import ColdStart, ColdStarts

    cold = ColdStarts()
    for init, first, base_init in [(150, 10, 100), (330, 10, 200), (450, 50, 300)]:
        cold.add(
            "POST /product", "shop-local-product", ColdStart(init, first, 20.0), ColdStart(base_init, 1, 5.0)
        )
    figures = bench.cold_start_figures(cold)
    assert figures["init_ms"]["shop-local-product"] == {"median": 330, "n": 3, "ratio": 1.5}
    assert figures["init_ms"][BASELINE] == {"median": 200, "n": 3, "ratio": 1.0}
    assert figures["first_ms"]["POST /product"] == {
        "function": "shop-local-product",
        "first": 10,
        "first_ratio": 10.0,
        "init_and_first": 340,  # 160, 340, 500
        "init_and_first_ratio": 1.66,  # of 160/101, 340/201, 500/301: 1.58, 1.69, 1.66
    }
    assert bench.first_http(cold) == {"POST /product": 20.0, "GET /baseline": 5.0}
