"""`make bench`: figures of the build, the local cloud and the checkout flow, from one run.

These machines are noisy: read the figures as orders of magnitude, and compare only figures
taken in the same run.
"""

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from scripts import build
from scripts.localcloud import process

DETAILS = {
    "firstName": "A",
    "lastName": "B",
    "email": "a@example.com",
    "address": "Street 1",
    "paymentMethod": "card",
}


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})"


def bench_build(scratch: Path) -> None:
    print("Build (clean, python3.13 arm64)")
    for service in build.services():
        started = time.monotonic()
        result = build.build(service, out_dir=scratch / "dist", force=True)
        print(f"  {service:<8} {time.monotonic() - started:5.1f} s   {result.size / 1e6:5.2f} MB")


def bench_startup(scratch: Path) -> process.RunningCloud:
    started = time.monotonic()
    cloud = process.start(scratch / "cloud")
    while requests.get(f"{cloud.api}/product", timeout=30).status_code != 200:
        time.sleep(0.01)
    print(
        f"Local cloud: first answered request {time.monotonic() - started:.1f} s after start (packages built)"
    )
    return cloud


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def bench_requests(api: str, http: requests.Session) -> None:
    print("Warm requests through the local API Gateway and Lambda runtime")
    product = http.post(f"{api}/product", json={"name": "p", "category": "bench", "price": 1}).json()
    create = [
        timed(lambda: http.post(f"{api}/product", json={"name": "p", "category": "bench", "price": 1}))
        for _ in range(30)
    ]
    get = [timed(lambda: http.get(f"{api}/product/{product['id']}")) for _ in range(30)]
    print(f"  POST /product        {percentiles(create)}")
    print(f"  GET  /product/{{id}}   {percentiles(get)}")


def bench_checkout(api: str, http: requests.Session, rounds: int = 10) -> None:
    print("Checkout: from the 202 response to the order visible on GET /order/{userName}")
    latencies = []
    for _ in range(rounds):
        user = f"bench-{uuid.uuid4().hex[:8]}"
        line = {"productId": "p1", "productName": "x", "price": 2.5, "quantity": 2}
        http.post(f"{api}/basket", json={"userName": user, "items": [line]})
        response = http.post(f"{api}/basket/checkout", json={"userName": user, **DETAILS})
        accepted = time.perf_counter()
        assert response.status_code == 202, response.text
        while not http.get(f"{api}/order/{user}").json()["items"]:
            time.sleep(0.005)
        latencies.append((time.perf_counter() - accepted) * 1000)
    print(f"  checkout -> order    {percentiles(latencies)}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        scratch = Path(directory)
        bench_build(scratch)
        cloud = bench_startup(scratch)
        try:
            with requests.Session() as http:
                bench_requests(cloud.api, http)
                bench_checkout(cloud.api, http)
        finally:
            cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
