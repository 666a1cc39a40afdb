"""`make bench`: figures of the build, the local cloud and the checkout flow, from one run.

These machines are noisy: read the figures as orders of magnitude, and compare only figures
taken in the same run.
"""

import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from scripts import build
from scripts.localcloud import process, system
from scripts.localcloud.cloud import ensure_runtime, extract
from scripts.localcloud.functions import FunctionPool, runtime_environment
from scripts.token import id_token

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


def signed_in(cloud: process.RunningCloud, user: str, admin: bool = False) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = id_token(cloud.aws, user, admin)
    return session


def bench_requests(api: str, http: requests.Session, admin: requests.Session) -> None:
    print("Warm requests through the local API Gateway and Lambda runtime")
    product = admin.post(f"{api}/product", json={"name": "p", "category": "bench", "price": 1}).json()
    create = [
        timed(lambda: admin.post(f"{api}/product", json={"name": "p", "category": "bench", "price": 1}))
        for _ in range(30)
    ]
    get = [timed(lambda: http.get(f"{api}/product/{product['id']}")) for _ in range(30)]
    basket = [timed(lambda: admin.get(f"{api}/basket/nobody")) for _ in range(30)]
    print(f"  POST /product        {percentiles(create)}  (ID token verified by the authorizer)")
    print(f"  GET  /product/{{id}}   {percentiles(get)}  (public)")
    print(f"  GET  /basket/{{name}}  {percentiles(basket)}  (ID token verified, 404)")


def bench_checkout(cloud: process.RunningCloud, rounds: int = 10) -> None:
    print("Checkout: from the 202 response to the order visible on GET /order/{userName}")
    api = cloud.api
    latencies = []
    for _ in range(rounds):
        user = f"bench-{uuid.uuid4().hex[:8]}"
        http = signed_in(cloud, user)
        line = {"productId": "p1", "productName": "x", "price": 2.5, "quantity": 2}
        http.post(f"{api}/basket", json={"userName": user, "items": [line]})
        response = http.post(f"{api}/basket/checkout", json={"userName": user, **DETAILS})
        accepted = time.perf_counter()
        assert response.status_code == 202, response.text
        while not http.get(f"{api}/order/{user}").json()["items"]:
            time.sleep(0.005)
        latencies.append((time.perf_counter() - accepted) * 1000)
        http.close()
    print(f"  checkout -> order    {percentiles(latencies)}")


def init_ms(package: Path, runtime: Path, **environment: str) -> float:
    """The init duration of one new execution environment of the product function."""
    function = system.PRODUCT.functions[0]
    unused = "127.0.0.1:9"  # nothing is called during init
    variables = runtime_environment(function, package, runtime, f"http://{unused}", unused) | environment
    pool = FunctionPool(function, package, variables, log=lambda *_: None)
    pool.start()
    while not pool.init_durations:
        time.sleep(0.005)
    pool.stop()
    return pool.init_durations[0] * 1000


def bench_tracing_cold_start(scratch: Path, rounds: int = 7) -> None:
    print("Cold start of the product function (init duration under awslambdaric, this machine)")
    package = extract(build.build("product", "local").path, scratch / "product")
    runtime = ensure_runtime()
    traced, untraced = [], []
    for _ in range(rounds):  # interleaved, so that both see the same machine
        traced.append(init_ms(package, runtime))
        untraced.append(init_ms(package, runtime, POWERTOOLS_TRACE_DISABLED="true"))
    sdk = []
    # botocore comes first and untimed: every function imports it anyway, through boto3.
    probe = (
        "import time, boto3; t = time.perf_counter(); import aws_xray_sdk.core as x; x.patch(('botocore',)); "
    )
    probe += "print((time.perf_counter() - t) * 1000)"
    for _ in range(rounds):
        result = subprocess.run(
            [sys.executable, "-S", "-c", probe],
            # LAMBDA_TASK_ROOT: the SDK then samples locally, as in Lambda, and makes no X-Ray client.
            env={"PYTHONPATH": f"{package}:{runtime}", "LAMBDA_TASK_ROOT": str(package)},
            capture_output=True,
            text=True,
            check=True,
        )
        sdk.append(float(result.stdout))
    print(f"  Tracer active (patches botocore)   {percentiles(traced)}")
    print(f"  Tracer disabled by configuration   {percentiles(untraced)}")
    print(f"  import of the X-Ray SDK + patch    {percentiles(sdk)}  (what no Tracer at all would save)")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        scratch = Path(directory)
        bench_build(scratch)
        bench_tracing_cold_start(scratch)
        cloud = bench_startup(scratch)
        try:
            with requests.Session() as http, signed_in(cloud, "bench-admin", admin=True) as admin:
                bench_requests(cloud.api, http, admin)
                bench_checkout(cloud)
        finally:
            cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
