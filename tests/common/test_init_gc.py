"""Every function's init runs with the garbage collector paused (shop_common.init_gc): collection
is on again once the entry module is imported, what the init made is frozen (no collection scans
it again), and an init that raises leaves collection on too."""

import gc
import json
import os
import subprocess
import sys

import pytest

from scripts.localcloud import system
from shop_common.init_gc import collection_paused

FUNCTIONS = [f for s in system.SERVICES for f in s.functions]

# In a new process, as Lambda imports an entry module: what the collector looks like afterwards.
PROBE = """
import gc, importlib, json, sys
module = importlib.import_module(sys.argv[1])
frozen = gc.get_freeze_count()
gc.collect()  # a full collection, after init
tracked = {id(o) for o in gc.get_objects()}
made_at_init = [module.settings, module.logger, module.tracer]
print(json.dumps({
    "enabled": gc.isenabled(),
    "frozen": frozen,
    "frozen_after_a_collection": gc.get_freeze_count(),
    "init_objects_scanned": [type(o).__name__ for o in made_at_init if id(o) in tracked],
}))
"""


# The same, for an init that raises.
FAILING_PROBE = """
import gc, importlib, json, sys
try:
    importlib.import_module(sys.argv[1])
except RuntimeError as error:
    print(json.dumps({"error": str(error), "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def import_in_new_process(function: system.Function, probe: str = PROBE, **environment: str) -> dict:
    services = system.ROOT / "services"
    path = os.pathsep.join(str(p) for p in (services / "common", services / function.package))
    result = subprocess.run(
        [sys.executable, "-c", probe, function.handler.rsplit(".", 1)[0]],
        env={
            **os.environ,
            **function.environment,
            "AWS_DEFAULT_REGION": system.REGION,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "PYTHONPATH": path,
            **environment,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_collection_is_on_after_init_and_what_init_made_is_frozen(function):
    found = import_in_new_process(function)
    assert found["enabled"]
    assert found["frozen"] > 10_000  # the modules, classes and objects of the init
    assert found["frozen_after_a_collection"] == found["frozen"]  # no collection frees or scans them
    assert found["init_objects_scanned"] == []


def test_an_init_that_raises_leaves_collection_on_and_freezes_nothing():
    function = system.PRODUCT.functions[0]
    found = import_in_new_process(function, FAILING_PROBE, ADMIN_GROUP="")  # the settings refuse it
    assert "Invalid configuration" in found["error"]
    assert found["enabled"] and found["frozen"] == 0


def test_the_block_resumes_collection_whatever_happens_in_it_and_freezes_only_on_success():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError), collection_paused():
        assert not gc.isenabled()
        raise ValueError("init failed")
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
