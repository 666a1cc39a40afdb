"""`make invoke FUNCTION=basket EVENT=events/basket/checkout.json`: one function invoked once
with an event, as `sam local invoke` does.

    python -m scripts.localcloud.invoke FUNCTION EVENT [--port PORT | --state-dir DIR]

It runs the function's built package (scripts/build.py, rebuilt if its sources changed) in
one execution environment under the same runtime emulation as `make run` (awslambdaric, the
Runtime API, Lambda's variables), prints the function's logs and report on stderr and its
result on stdout, and exits 1 when the function failed.

FUNCTION is a function of system.py without its `shop-local-` prefix (product,
product-publisher, basket, basket-catalogue-consumer, order-api, order-consumer) or its full
name. EVENT is a JSON file, or - for stdin: the samples in events/<function>/ are an API
Gateway proxy request per route family, a DynamoDB stream batch of the product table (a
product written, changed and deleted), an SQS batch of product events for the basket's
catalogue replica (which prices save-basket's line) and one of CheckoutBasket events; any
event a function takes works the same.

AWS: the running local cloud's (on PORT, or the one of --state-dir), with its data, and its
`make traces`. When none runs, an embedded AWS is started for the call, with every resource of
system.py and no data, and discarded afterwards.
"""

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts import build
from scripts.localcloud import instance, system
from scripts.localcloud.aws.resources import provision
from scripts.localcloud.aws.server import EmbeddedAws
from scripts.localcloud.functions.invocation import InvokeResult
from scripts.localcloud.functions.packages import extract
from scripts.localcloud.functions.pool import FunctionPool
from scripts.localcloud.functions.runtime import ensure_runtime
from scripts.localcloud.functions.variables import runtime_environment
from scripts.localcloud.xray.daemon import XRayDaemon
from scripts.localcloud.xray.header import TraceHeader, new_trace_id
from scripts.localcloud.xray.store import TraceStore

PREFIX = system.name() + "-"
EVENTS = system.ROOT / "events"


def functions() -> dict[str, system.Function]:
    """Every function by its short name (without the prefix)."""
    return {f.name.removeprefix(PREFIX): f for s in system.SERVICES for f in s.functions}


def function_named(name: str) -> system.Function:
    """LookupError, naming the choices, for a name that is not one function's."""
    known = functions()
    found = known.get(name.removeprefix(PREFIX))
    if found is None:
        close = [short for short in known if short.startswith(name)]
        hint = f"{name} is ambiguous: {' or '.join(close)}" if close else f"no function {name}"
        raise LookupError(f"{hint} (one of {', '.join(known)})")
    return found


@dataclass(frozen=True)
class Target:
    """The AWS a function is invoked against, and where its traces go."""

    endpoint: str
    traces: TraceStore
    xray_daemon: str
    description: str


@contextlib.contextmanager
def target(state_dir: Path, scratch: Path) -> Iterator[Target]:
    """The running local cloud's AWS, or one started for the call."""
    holder = instance.running(state_dir)
    if holder is not None and (found := instance.endpoints(state_dir)) is not None:
        yield Target(
            found["aws"],
            TraceStore(Path(found["traces"])),
            found["xray_daemon"],
            f"against the local cloud running on port {holder.get('port', '?')} (AWS {found['aws']}; "
            "its data, and `make traces` shows the call)",
        )
        return
    aws, store = EmbeddedAws(), TraceStore(scratch / "traces.jsonl")
    daemon = XRayDaemon(store)
    aws.start()
    daemon.start()
    try:
        provision(aws.endpoint, system.SERVICES)
        yield Target(
            aws.endpoint,
            store,
            daemon.address,
            f"against an embedded AWS started for this call: no local cloud runs from {state_dir}, so the "
            "tables, queues and user pool are new and empty, and discarded afterwards (`make run` first "
            "to use its data)",
        )
    finally:
        daemon.stop()
        aws.stop()


class Invoker:
    """Invokes functions one at a time, each in one new execution environment of its built package."""

    def __init__(self, aws: Target, scratch: Path, log: Callable[[str], None]):
        self.aws = aws
        self.scratch = scratch
        self.log = log
        self._runtime = ensure_runtime()
        self._packages: dict[str, Path] = {}

    def package(self, name: str) -> Path:
        if name not in self._packages:
            self._packages[name] = extract(build.build(name, "local").path, self.scratch / name)
        return self._packages[name]

    def invoke(self, function: system.Function, event: bytes) -> InvokeResult:
        package = self.package(function.package)
        environment = runtime_environment(
            function, package, self._runtime, self.aws.endpoint, self.aws.xray_daemon
        )
        pool = FunctionPool(
            function, package, environment, lambda _, line: self.log(line), self.aws.traces.add, self.log
        )
        pool.start(warm=1)
        try:
            return pool.invoke(event, str(TraceHeader(new_trace_id())))
        finally:
            pool.stop()
            pool.flush_logs()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("function", help=f"one of {', '.join(functions())}")
    parser.add_argument("event", help="a JSON file (samples in events/<function>/), or - for stdin")
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        function = function_named(args.function)
    except LookupError as error:
        print(f"make invoke: {error}", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.event == "-" else Path(args.event).read_text()
        json.loads(text)
    except (OSError, ValueError) as error:
        print(f"make invoke: {args.event} is not a JSON event: {error}", file=sys.stderr)
        return 2

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with (
        tempfile.TemporaryDirectory(prefix="invoke-") as directory,
        target(instance.chosen_state_dir(args), Path(directory)) as aws,
    ):
        log(f"Invoking {function.name} ({function.handler}) with {args.event}, {aws.description}")
        result = Invoker(aws, Path(directory), log).invoke(function, text.encode())
    try:
        shown = json.dumps(json.loads(result.payload), indent=2)
    except ValueError:
        shown = result.payload.decode(errors="replace")
    print(shown, flush=True)
    if result.error:
        log(f"{function.name} failed ({result.duration_ms:.0f} ms)")
    return 1 if result.error else 0


if __name__ == "__main__":
    sys.exit(main())
