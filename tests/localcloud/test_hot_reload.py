"""Hot reload: a change saved under services/ replaces the service's functions while the local
cloud runs, with no failed request. The local cloud runs from a copy of the checkout, so that
the test edits the copy's files, never the tracked ones."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import requests

from scripts import build
from scripts.localcloud import process, system
from scripts.localcloud.functions.runtime import RUNTIME_DIR, ensure_runtime
from scripts.localcloud.reload import plan
from tests.e2e.conftest import eventually

WRAPPER = """

_reloaded_from = lambda_handler


def lambda_handler(event, context):
    response = _reloaded_from(event, context)
    response.setdefault("headers", {})["x-reloaded"] = "yes"
    return response
"""


def test_each_change_calls_for_what_it_touches(tmp_path):
    services = tmp_path / "services"
    packages = {"product", "basket", "order"}

    def changed(*paths: str):
        return plan({services / p for p in paths}, services, packages)

    assert changed("product/product/handler.py").sources == {
        "product": {services / "product/product/handler.py"}
    }
    assert set(changed("common/shop_common/http.py").sources) == packages
    assert changed("order/requirements.txt").dependencies == {"order"}
    assert changed("basket/openapi.yaml").routes == {services / "basket/openapi.yaml"}
    assert not changed("basket/README.md", "product/tests/x.py", "unknown/unknown/x.py")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the checkout's scripts and services, with the runtime and the local packages
    already built (hard links and copies of this checkout's), so that it starts as fast."""
    copy = tmp_path_factory.mktemp("checkout")
    for part in ("scripts", "services"):
        shutil.copytree(
            system.ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    ensure_runtime()
    for service in build.services():
        build.build(service, "local")
    shutil.copytree(RUNTIME_DIR, copy / ".build" / "runtime", copy_function=os.link)
    shutil.copytree(build.TARGETS["local"].out_dir, copy / ".build" / "local")
    return copy


@pytest.fixture(scope="module")
def cloud(checkout, tmp_path_factory):
    running = process.start(tmp_path_factory.mktemp("state"), root=checkout)
    yield running
    running.stop()


def test_a_saved_change_replaces_the_services_functions_with_no_failed_request(checkout, cloud):
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                statuses.append(
                    session.get(f"{cloud.api}/product", params={"limit": 1}, timeout=30).status_code
                )

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        handler = checkout / "services" / "product" / "product" / "handler.py"
        handler.write_text(handler.read_text() + WRAPPER)
        saved = time.monotonic()

        def reloaded():
            """the product API answers with the new code"""
            answer = requests.get(f"{cloud.api}/product", params={"limit": 1}, timeout=30)
            return answer.headers.get("x-reloaded") == "yes"

        eventually(reloaded, timeout=60, interval=0.05)
        print(f"\nreload: {time.monotonic() - saved:.1f} s from the save to the first answer of the new code")
    finally:
        stop.set()
        asking.join()
    # The line comes once every function of the package is replaced: the API may answer before
    # the publisher's new environment is ready.
    eventually(lambda: "Reloaded product " in cloud.output.read_text(), timeout=30)
    console = cloud.output.read_text()
    assert "Reloading product (services/product/product/handler.py changed; new sources) ..." in console
    assert "after the save (package" in console
    assert statuses and set(statuses) == {200}, statuses


def test_a_change_of_shop_common_reloads_every_service(checkout, cloud):
    shared = checkout / "services" / "common" / "shop_common" / "http.py"
    mark = cloud.output.stat().st_size  # the test before reloaded product: not this reload
    shared.write_text(shared.read_text() + "\n# changed\n")

    def reloaded():
        """each service was reloaded"""
        lines = [line for line in cloud.console_since(mark).splitlines() if line.startswith("Reloaded ")]
        return {line.split()[1] for line in lines} >= {"product", "basket", "order"}

    eventually(reloaded, timeout=90)
    assert requests.get(f"{cloud.api}/product", params={"limit": 1}, timeout=30).status_code == 200
