"""Which files of a Lambda package get bytecode, and of what kind (scripts/build.py says why).

Our own modules keep their .py, with an unchecked hash-based .pyc in __pycache__ compiled with
everything (docstrings, asserts, column positions); a dependency's modules become sourceless
.pyc files in place of their .py, compiled without module and function docstrings and without
column positions, but for LEFT_AS_SOURCE. scripts/bytecode.py compiles, run by the interpreter
whose bytecode is wanted.
"""

import json
import os
import subprocess
from pathlib import Path

from scripts.lambda_python import Interpreter

COMPILER = Path(__file__).with_name("bytecode.py")  # run by the target's interpreter
TASK_ROOT = "/var/task/"  # where Lambda extracts the zip: the file names in code objects

# Dependency subpackages that no function imports, at init or on any route (measured with
# `python -m scripts.bench.imports`, which lists every module a function loads): as .py they
# take about 250 KB less of the zip than as bytecode. Nothing breaks if one is imported some
# day (it compiles then, at every cold start): `make bench` and scripts.bench.imports show it.
LEFT_AS_SOURCE = (
    "aws_lambda_powertools/event_handler/",  # the APIs route with shop_common.rest_router
    "aws_lambda_powertools/utilities/auth_alpha/",
    "aws_lambda_powertools/utilities/circuit_breaker/",
    "aws_lambda_powertools/utilities/data_masking/",
    "aws_lambda_powertools/utilities/feature_flags/",
    "aws_lambda_powertools/utilities/idempotency/",
    "aws_lambda_powertools/utilities/kafka/",
    "aws_lambda_powertools/utilities/parameters/",
    "aws_lambda_powertools/utilities/parser/",
    "aws_lambda_powertools/utilities/streaming/",
    "aws_lambda_powertools/utilities/validation/",
    "pydantic/deprecated/",
    "pydantic/experimental/",
    "pydantic/mypy.py",  # mypy's plugin
    "pydantic/v1/",  # pydantic 1's API, for code not yet ported
)


def cache_name(name: str, interpreter: Interpreter) -> str:
    """Where the interpreter looks for the bytecode of a module: pkg/__pycache__/mod.cpython-313.pyc."""
    folder, _, file = name.rpartition("/")
    tag = "cpython-{}{}".format(*interpreter.minor)
    return f"{folder}/__pycache__/{file.removesuffix('.py')}.{tag}.pyc".lstrip("/")


def compile_bytecode(interpreter: Interpreter, jobs: list[list], column_positions: bool) -> None:
    """Runs scripts/bytecode.py with `interpreter` on the jobs, in their order, with a fixed
    hash seed (set and frozenset constants are then written in the same order every time)."""
    if not jobs:
        return
    options = () if column_positions else ("-X", "no_debug_ranges")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run(
        [str(interpreter.path), "-S", *options, str(COMPILER)],
        input=json.dumps({"jobs": jobs}),
        text=True,
        check=True,
        env={**environment, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
    )


def with_bytecode(
    dependencies: dict[str, Path], own: dict[str, Path], interpreter: Interpreter, scratch: Path
) -> dict[str, Path]:
    """The files of the zip by name: our code with its bytecode beside it, and the dependencies'
    modules as sourceless bytecode (those in LEFT_AS_SOURCE as they are)."""
    files: dict[str, Path] = {}
    sourceless, cached = [], []
    for name, path in sorted(dependencies.items()):
        if name.endswith(".py") and not name.startswith(LEFT_AS_SOURCE):
            target = scratch / "dependencies" / f"{name}c"
            sourceless.append([str(path), str(target), TASK_ROOT + name, True])
            files[f"{name}c"] = target
        else:
            files[name] = path
    for name, path in sorted(own.items()):
        files[name] = path
        if name.endswith(".py"):
            target = scratch / "own" / cache_name(name, interpreter)
            cached.append([str(path), str(target), TASK_ROOT + name, False])
            files[cache_name(name, interpreter)] = target
    compile_bytecode(interpreter, sourceless, column_positions=False)
    compile_bytecode(interpreter, cached, column_positions=True)
    return files
