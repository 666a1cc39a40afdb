"""A function's handler module imported in this process, as Lambda imports it at a cold start:
with the function's environment (from scripts/localcloud/system.py) set while it loads.

For the tools that call the real handlers in process (`make faults`, the AWS call counts of
`make bench`); the local cloud itself runs each function in a process of its own.
"""

import contextlib
import importlib
import os
import sys
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from scripts.localcloud import system

SERVICES_DIR = system.ROOT / "services"


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Sets environment variables for the block, then puts back what was there."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def import_handler(function: system.Function, **overrides: str) -> types.ModuleType:
    """The module of `function`'s handler, imported afresh with the function's environment and
    `overrides` (settings, clients and loggers read them at import)."""
    for path in (SERVICES_DIR / "common", SERVICES_DIR / function.package):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    module = function.handler.rsplit(".", 1)[0]
    with environment({**function.environment, **overrides}):
        sys.modules.pop(module, None)
        return importlib.import_module(module)


@dataclass
class LambdaContext:
    """The part of the Lambda context the handlers read."""

    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{system.REGION}:{system.ACCOUNT}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000  # the consumer's timeout: it writes a record only with time left for it
