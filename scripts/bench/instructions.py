"""Each function's init counted in instructions, beside the baseline's: exact, whatever the load.

    python -m scripts.bench.instructions [FUNCTION ...]

`make bench` times cold starts on a shared machine, where other work moves every figure; this
counts the instructions (valgrind's callgrind, Ir) of a process that does what Lambda's init
does, on the interpreter that runs the functions: start Python, import the runtime interface
client, import the handler module from the function's package (its local build, the Lambda
zip's bytecode) with its environment, tracing on. The same for the baseline. Instructions are
not milliseconds (I/O and cache misses are not in them), but a ratio of them does not depend
on what else the machine runs. Needs valgrind; takes about a minute per function.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import lambda_python
from scripts.bench.__main__ import baseline_service
from scripts.bench.imports import packages
from scripts.bench.routes import BASELINE
from scripts.localcloud import system
from scripts.localcloud.functions.runtime import ensure_runtime
from scripts.localcloud.functions.variables import runtime_environment


def init_instructions(function: system.Function, package: Path, runtime: Path) -> int:
    module = function.handler.rsplit(".", 1)[0]
    # Lambda's environment, as the local cloud sets it: with LAMBDA_TASK_ROOT, the X-Ray SDK
    # takes Lambda's sampling and makes no X-Ray client of its own.
    environment = runtime_environment(function, package, runtime, "http://127.0.0.1:9", "127.0.0.1:2000")
    environment |= {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}  # the same instructions every run
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            str(lambda_python.local().path),
            "-S",
            "-c",
            f"import awslambdaric.bootstrap, {module}",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("functions", nargs="*", metavar="FUNCTION", help="default: every function")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    services = (*system.SERVICES, baseline_service())
    functions = [f for s in services for f in s.functions if not args.functions or f.name in args.functions]
    functions.sort(key=lambda f: f.name != BASELINE)  # the baseline first
    print(f"Init in instructions (callgrind), on {lambda_python.local()}", flush=True)
    runtime = ensure_runtime()
    with tempfile.TemporaryDirectory(prefix="instructions-") as scratch:
        found = packages(Path(scratch), services, probe=False)
        base = None
        for function in functions:
            count = init_instructions(function, found[function.package], runtime)
            base = base or (count if function.name == BASELINE else None)
            shown = f"  {count / base:.2f} x baseline" if base else ""
            print(f"  {function.name:<28}{count / 1e6:>10,.0f} M{shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
