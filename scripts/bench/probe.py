"""Stands in for a function's handler during `python -m scripts.bench.imports` (copied into the
function's package, run by the function's own interpreter: standard library only).

Before it imports the real handler (BENCH_HANDLER, module.function) it wraps the import
system's _find_and_load, which both `import` statements and importlib.import_module go
through (-X importtime sees only the former, and pydantic imports its modules lazily with the
latter), to time every module's import (in CPU time of this process: less moved by other
work on the machine than wall time); and SourceLoader.source_to_code, which runs only when
a module has no usable bytecode, to list what compiled. An event {"benchProbe": true} returns
the figures; any other goes to the real handler. Imports are assumed to happen on one thread
at a time, as at init.
"""

import _frozen_importlib
import _frozen_importlib_external
import importlib
import os
import sys
import time

IMPORTS: list[tuple[str, int, int, int]] = []  # module, self ns, cumulative ns, depth
COMPILED: list[str] = []
_children = [0]  # ns spent in nested imports, per level
_find_and_load = _frozen_importlib._find_and_load
_source_to_code = _frozen_importlib_external.SourceLoader.source_to_code


def _timed_find_and_load(name, import_):
    if name in sys.modules:
        return _find_and_load(name, import_)
    started = time.process_time_ns()
    _children.append(0)
    try:
        return _find_and_load(name, import_)
    finally:
        nested = _children.pop()
        total = time.process_time_ns() - started
        _children[-1] += total
        IMPORTS.append((name, total - nested, total, len(_children) - 1))


def _counted_source_to_code(self, data, path, *, _optimize=-1):
    COMPILED.append(path)
    return _source_to_code(self, data, path, _optimize=_optimize)


_frozen_importlib._find_and_load = _timed_find_and_load
_frozen_importlib_external.SourceLoader.source_to_code = _counted_source_to_code

_module, _, _name = os.environ["BENCH_HANDLER"].rpartition(".")
_started = time.process_time_ns()
_handler = getattr(importlib.import_module(_module), _name)
HANDLER_IMPORT_NS = time.process_time_ns() - _started
_AT_INIT = (len(IMPORTS), len(COMPILED))


def lambda_handler(event, context):
    if isinstance(event, dict) and event.get("benchProbe"):
        imports, compiled = _AT_INIT
        return {
            "handler_import_ms": HANDLER_IMPORT_NS / 1e6,
            "init": IMPORTS[:imports],
            "init_compiled": COMPILED[:compiled],
            "requests": IMPORTS[imports:],
            "requests_compiled": COMPILED[compiled:],
            "modules": sorted(sys.modules),
        }
    return _handler(event, context)
