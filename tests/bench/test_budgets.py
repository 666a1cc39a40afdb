"""The benchmark's budget verdicts: each one fails when its figure breaks it."""

import copy

import pytest

from scripts.bench import __main__ as bench
from scripts.bench.packages import size
from scripts.bench.routes import BASELINE, LIST_ROUTES, ROUTES


def aws(calls=1, scan=False, operations=("GetItem",)):
    return {"calls": calls, "scan": scan, "operations": list(operations), "varies": False}


@pytest.fixture
def results():
    routes = {r.name: {"customer": r.customer, "aws": aws()} for r in ROUTES}
    routes[bench.CHECKOUT]["aws"] = aws(4)
    return {
        "init_ms": {BASELINE: {"ratio": 1.0}, "f": {"ratio": 1.4}},
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
    "init": lambda r: r["init_ms"]["f"].update(ratio=1.6),
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
