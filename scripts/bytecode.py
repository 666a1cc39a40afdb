"""Compiles Python sources into .pyc files; run by the interpreter whose bytecode is wanted.

    python3.13 scripts/bytecode.py < jobs.json

scripts/build.py runs this file with Lambda's Python version (the bytecode format changes with
each minor version) and hands it, on stdin, a JSON object: {"jobs": [[source, target, name,
strip], ...]}. Each job compiles `source` into `target` as `name` (the path tracebacks show).
Only the standard library is used, so any interpreter can run it.

- Every .pyc is hash-based and unchecked (PEP 552): the loader neither reads the source nor
  compares timestamps, so a package extracted with any mtimes, on a read-only disk, loads it
  as is, and the same source always gives the same header.
- `strip` drops the docstrings of modules and functions before compiling. Class docstrings
  are kept: pydantic reads them for schema descriptions, and a dataclass without one gets a
  signature computed at import. Asserts are kept (optimize=0; -OO would drop both).
- Run it with `-X no_debug_ranges` to leave out the column positions of PEP 657 (the ^^^^
  under a traceback's source line): line numbers stay.

Jobs are compiled in the order given, in one process started with a fixed hash seed, so that
the output is the same from run to run.
"""

import ast
import importlib.util
import json
import marshal
import sys
from pathlib import Path

# The header of a hash-based pyc (PEP 552): magic, flags, then the source's hash.
UNCHECKED_HASH_FLAGS = 0b01


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def strip_docstrings(tree: ast.Module) -> ast.Module:
    """Removes module and function docstrings in place; line numbers of the rest are unchanged."""
    for node in ast.walk(tree):
        documented = isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef)
        if documented and node.body and _is_docstring(node.body[0]):
            if len(node.body) == 1:  # a body cannot be empty
                node.body[0] = ast.copy_location(ast.Pass(), node.body[0])
            else:
                del node.body[0]
    return tree


def pyc(source: bytes, name: str, strip: bool) -> bytes:
    """An unchecked hash-based .pyc of `source`, whose code objects carry `name` as filename."""
    code = compile(
        strip_docstrings(ast.parse(source, name)) if strip else source,
        name,
        "exec",
        dont_inherit=True,
        optimize=0,
    )
    header = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH_FLAGS.to_bytes(4, "little")
    return header + importlib.util.source_hash(source) + marshal.dumps(code)


def main() -> int:
    for source, target, name, strip in json.load(sys.stdin)["jobs"]:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pyc(Path(source).read_bytes(), name, strip))
    return 0


if __name__ == "__main__":
    sys.exit(main())
