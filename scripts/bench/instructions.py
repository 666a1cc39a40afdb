"""Each function's cold start counted in instructions, beside the baseline's: exact, whatever the load.

    python -m scripts.bench.instructions [--init-only] [FUNCTION ...]

`make bench` times cold starts on a shared machine, where other work moves every figure; this
counts the instructions (valgrind's callgrind, Ir) of a process that does what Lambda's init
does, on the interpreter that runs the functions: start Python, import the runtime interface
client, import the handler module from the function's package (its local build, the Lambda
zip's bytecode) with its environment, tracing on. The same for the baseline. Then the same
process again, followed by a first invocation, as the bench's cold starts make it: an API
function one request of one route (FIRST_REQUESTS), an event-driven function a batch of one
new record (scripts/bench/batches.py), against an embedded AWS with every resource and no
data; "first" is the difference. Instructions are not milliseconds (I/O, the AWS answering and
cache misses are not in them), but a ratio of them does not depend on what else the machine
runs. Needs valgrind; takes about a minute per function and run.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts import lambda_python
from scripts.bench.__main__ import baseline_service
from scripts.bench.batches import BATCH_ROUTES
from scripts.bench.imports import packages
from scripts.bench.routes import ADMIN, BASELINE, BASKET, CUSTOMER, ORDER_API, PRODUCT, PUBLIC, USERS
from scripts.localcloud import system
from scripts.localcloud.aws.resources import provision
from scripts.localcloud.aws.server import EmbeddedAws
from scripts.localcloud.functions.runtime import ensure_runtime
from scripts.localcloud.functions.variables import function_arn, runtime_environment
from scripts.localcloud.gateway.authorizer import api_gateway_claims
from scripts.localcloud.gateway.proxy import proxy_event
from scripts.localcloud.xray.daemon import XRayDaemon
from scripts.localcloud.xray.header import TraceHeader, new_trace_id
from scripts.localcloud.xray.store import TraceStore

# What an init runs (what Lambda's runtime does before the first event), and with BENCH_INVOKE
# set, a first invocation as Lambda's runtime makes it. Both read the event and make the context,
# so that the difference of the two counts is the invocation.
PROGRAM = """\
import awslambdaric.bootstrap, {module}
import json, os, sys, time
from awslambdaric.lambda_context import LambdaContext

with open(os.environ["BENCH_EVENT_FILE"]) as file:
    event = json.load(file)
deadline = int(time.time() * 1000) + 60_000
context = LambdaContext("bench-request", None, None, deadline, os.environ["BENCH_FUNCTION_ARN"])
if os.environ.get("BENCH_INVOKE"):
    os.environ["_X_AMZN_TRACE_ID"] = os.environ["BENCH_TRACE_HEADER"]  # as the runtime sets it
    result = {module}.{function}(event, context)
    if not 200 <= result.get("statusCode", 200) < 300 or result.get("batchItemFailures"):
        sys.exit(f"the first invocation failed: {{result}}")
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    caller: str


# One route per API function: one that answers 200 from an empty AWS.
FIRST_REQUESTS = {
    BASELINE: Request("GET", "/baseline", PUBLIC),
    PRODUCT: Request("GET", "/product", PUBLIC),
    BASKET: Request("GET", "/basket", ADMIN),
    ORDER_API: Request("GET", f"/order/{USERS[CUSTOMER]}", CUSTOMER),
}


def first_event(function: str) -> dict[str, Any]:
    batch = next((b for b in BATCH_ROUTES if b.function == function), None)
    if batch is not None:
        return batch.batch()
    request = FIRST_REQUESTS[function]
    claims = None
    if request.caller != PUBLIC:
        payload: dict[str, Any] = {"cognito:username": USERS[request.caller], "token_use": "id"}
        if request.caller == ADMIN:
            payload["cognito:groups"] = [system.ADMIN_GROUP]
        claims = api_gateway_claims(payload)
    return proxy_event(
        request.method,
        request.path,
        resource=request.path,
        headers=[("Content-Type", "application/json")],
        claims=claims,
    )


def instructions(
    function: system.Function, package: Path, environment: dict[str, str], event_file: Path, invoke: bool
) -> int:
    module, name = function.handler.rsplit(".", 1)
    environment = {
        **environment,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",  # the same instructions every run
        "BENCH_EVENT_FILE": str(event_file),
        "BENCH_FUNCTION_ARN": function_arn(function.name),
        "BENCH_TRACE_HEADER": str(TraceHeader(new_trace_id(), "53995c3f42cd8ad8", True)),
        **({"BENCH_INVOKE": "1"} if invoke else {}),
    }
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            str(lambda_python.local().path),
            "-S",
            "-c",
            PROGRAM.format(module=module, function=name),
        ],
        cwd=package,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        raise RuntimeError(f"{function.name}: {result.stderr[-2000:]}")
    return int(found.group(1))


def count(
    function: system.Function, package: Path, environment: dict[str, str], scratch: Path, init_only: bool
) -> tuple[int, int]:
    """(init, first invocation) in instructions; first is 0 with `init_only`."""
    event_file = scratch / f"{function.name}.json"
    event_file.write_text(json.dumps(first_event(function.name)))
    init = instructions(function, package, environment, event_file, invoke=False)
    if init_only:
        return init, 0
    return init, instructions(function, package, environment, event_file, invoke=True) - init


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("functions", nargs="*", metavar="FUNCTION", help="default: every function")
    parser.add_argument("--init-only", action="store_true", help="count the init only (half the time)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    services = (*system.SERVICES, baseline_service())
    wanted = {BASELINE, *args.functions}
    functions = [f for s in services for f in s.functions if not args.functions or f.name in wanted]
    functions.sort(key=lambda f: f.name != BASELINE)  # the baseline first
    width = max(len(f.name) for f in functions) + 2
    print(f"Cold starts in instructions (callgrind, M), on {lambda_python.local()}", flush=True)
    header = f"  {'function':<{width}}{'init':>8}{'x':>6}"
    print(header if args.init_only else f"{header}{'first':>8}{'x':>7}{'init+first':>12}{'x':>6}", flush=True)
    runtime = ensure_runtime()
    with tempfile.TemporaryDirectory(prefix="instructions-") as directory:
        scratch = Path(directory)
        aws, daemon = EmbeddedAws(), XRayDaemon(TraceStore(scratch / "traces.jsonl"))
        aws.start()
        daemon.start()
        try:
            provision(aws.endpoint, system.SERVICES)
            found = packages(scratch, services, probe=False)
            base = (0, 0)
            for function in functions:
                package = found[function.package]
                environment = runtime_environment(function, package, runtime, aws.endpoint, daemon.address)
                init, first = count(function, package, environment, scratch, args.init_only)
                base = base if function.name != BASELINE else (init, first)
                line = f"  {function.name:<{width}}{init / 1e6:>8,.0f}{init / base[0]:>6.2f}"
                if not args.init_only:
                    line += f"{first / 1e6:>8,.1f}{first / base[1]:>7.1f}{(init + first) / 1e6:>12,.0f}"
                    line += f"{(init + first) / sum(base):>6.2f}"
                print(line, flush=True)
        finally:
            daemon.stop()
            aws.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
