"""Concurrent writes over HTTP on the local cloud: many clients change one product and one basket
at once, each reading it, changing it and writing it back with If-Match, again after a 412. No
accepted write is lost: the final state holds every writer's change, exactly once.

The local cloud runs at most `max_concurrency` (4) environments of a function, as reserved
concurrency would; the other requests wait for one, so the writers' reads and writes interleave
on those 4. Run with -s to see the figures.
"""

import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from scripts.localcloud import system
from tests.e2e.conftest import ApiSession

WRITERS = 30
MAX_TRIES = 200  # per writer; far more than the contention needs


@dataclass
class Tally:
    """Writes sent (attempted), answered 200 (accepted), answered 412 (rejected)."""

    attempted: int = 0
    accepted: int = 0
    rejected: int = 0
    unexpected: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, text: str) -> None:
        with self._lock:
            self.attempted += 1
            if status == 200:
                self.accepted += 1
            elif status == 412:
                self.rejected += 1
            else:
                self.unexpected.append(f"{status} {text[:200]}")


def run_writers(signed_in: ApiSession, write_once: Callable[[ApiSession, int], tuple[int, str]]) -> Tally:
    """Each writer, a client of its own signed in as `signed_in`, calls write_once (read, change,
    write back) until it is accepted."""
    tally = Tally()
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        with ApiSession(signed_in.base_url, signed_in.headers["Authorization"]) as http:
            start.wait()  # all at once
            for _ in range(MAX_TRIES):
                status, text = write_once(http, number)
                tally.count(status, text)
                if status != 412:
                    return
                time.sleep(random.uniform(0, 0.02))  # a little jitter, as a client's backoff

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    return tally


def report(what: str, tally: Tally, lost: int, seconds: float) -> None:
    print(
        f"\n{what}: {WRITERS} writers, function concurrency "
        f"{system.PRODUCT.functions[0].max_concurrency}: attempted {tally.attempted}, "
        f"accepted {tally.accepted}, rejected (412) {tally.rejected}, lost {lost}, {seconds:.1f} s"
    )


def test_concurrent_product_updates_lose_no_write(admin):
    http = admin
    made = http.post("/product", json={"name": "Counter", "category": "concurrency", "price": 1})
    assert made.status_code == 201 and made.headers["ETag"] == '"1"'
    path = f"/product/{made.json()['id']}"

    def append_own_mark(session: ApiSession, number: int) -> tuple[int, str]:
        current = session.get(path)
        description = f"{current.json()['description']} w{number}".strip()
        headers = {"If-Match": current.headers["ETag"]}
        response = session.put(path, json={"description": description}, headers=headers)
        return response.status_code, response.text

    started = time.monotonic()
    tally = run_writers(http, append_own_mark)
    final = http.get(path)
    marks = final.json()["description"].split()
    lost = tally.accepted - len(set(marks))
    report("Product", tally, lost, time.monotonic() - started)

    assert tally.unexpected == []
    assert lost == 0 and tally.accepted == WRITERS
    assert sorted(marks) == sorted(f"w{n}" for n in range(WRITERS))  # each writer's mark, once
    assert final.headers["ETag"] == f'"{1 + WRITERS}"'  # one version per accepted write
    assert tally.attempted == tally.accepted + tally.rejected


def test_concurrent_basket_changes_lose_no_line(sign_in, catalogue):
    user = f"many-{uuid.uuid4().hex[:8]}"
    http = sign_in(user)
    assert http.post("/basket", json={"userName": user, "items": []}).status_code == 200
    product = catalogue.product("Sock", 1.5)

    def add_own_line(session: ApiSession, number: int) -> tuple[int, str]:
        current = session.get(f"/basket/{user}")
        # One product in a color of each writer's own: (productId, color) makes a line.
        line = {"productId": product["id"], "quantity": 1, "color": f"c{number}"}
        sent = [{k: i[k] for k in ("productId", "quantity", "color")} for i in current.json()["items"]]
        items = [*sent, line]
        headers = {"If-Match": current.headers["ETag"]}
        response = session.post("/basket", json={"userName": user, "items": items}, headers=headers)
        return response.status_code, response.text

    started = time.monotonic()
    tally = run_writers(http, add_own_line)
    final = http.get(f"/basket/{user}").json()
    lines = [item["color"] for item in final["items"]]
    lost = tally.accepted - len(set(lines))
    report("Basket", tally, lost, time.monotonic() - started)

    assert tally.unexpected == []
    assert lost == 0 and tally.accepted == WRITERS
    assert sorted(lines) == sorted(f"c{n}" for n in range(WRITERS))
    assert final["totalPrice"] == 1.5 * WRITERS
    assert tally.attempted == tally.accepted + tally.rejected


def test_two_clients_that_read_the_same_version_one_wins_and_one_gets_412(admin):
    """The race the writers above run into, step by step; without If-Match the second write
    would silently undo the first."""
    http = admin
    path = (
        f"/product/{http.post('/product', json={'name': 'X', 'category': 'race', 'price': 1}).json()['id']}"
    )
    first, second = http.get(path), http.get(path)
    assert first.headers["ETag"] == second.headers["ETag"] == '"1"'
    won = http.put(path, json={"description": "first"}, headers={"If-Match": first.headers["ETag"]})
    lost = http.put(path, json={"description": "second"}, headers={"If-Match": second.headers["ETag"]})
    assert (won.status_code, lost.status_code) == (200, 412)
    assert lost.json()["errors"] == [{"field": "If-Match", "message": "does not match the current ETag"}]
    assert http.get(path).json()["description"] == "first"
    blind = http.put(path, json={"description": "second"})  # no If-Match: the last writer wins
    assert blind.status_code == 200 and blind.headers["ETag"] == '"3"'


@pytest.mark.parametrize("header", ["3", '"3" "4"'])
def test_a_malformed_if_match_is_a_400_over_http(admin, header):
    http = admin
    made = http.post("/product", json={"name": "X", "category": "concurrency", "price": 1}).json()
    response = http.put(f"/product/{made['id']}", json={"price": 2}, headers={"If-Match": header})
    assert response.status_code == 400 and re.search("If-Match", response.json()["message"])
