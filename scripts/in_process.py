"""A function's handler module imported in this process, as Lambda imports it at a cold start:
with the function's environment (from scripts/localcloud/system.py) set while it loads.

For the tools that call the real handlers in process (`make faults`, the AWS call counts of
`make bench`); the local cloud itself runs each function in a process of its own.
"""

import contextlib
import functools
import importlib
import logging
import os
import sys
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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


LOG_LEVEL = "POWERTOOLS_LOG_LEVEL"


def import_handler(function: system.Function, **overrides: str) -> types.ModuleType:
    """The module of `function`'s handler, imported afresh with the function's environment and
    `overrides` (settings, clients and loggers read them at import).

    A POWERTOOLS_LOG_LEVEL among `overrides` holds while the module loads and while its handler
    runs, and only then (see _scoped_level).
    """
    for path in (SERVICES_DIR / "common", SERVICES_DIR / function.package):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    module_name, entry = function.handler.rsplit(".", 1)
    service = {**function.environment, **overrides}.get("POWERTOOLS_SERVICE_NAME", "")
    before = _levels(service)
    with environment({**function.environment, **overrides}):
        sys.modules.pop(module_name, None)
        module = importlib.import_module(module_name)
    if LOG_LEVEL in overrides:
        own = function.environment.get(LOG_LEVEL, "INFO")
        _scoped_level(module, entry, service, before, overrides[LOG_LEVEL].upper(), own.upper())
    return module


def _levels(service: str) -> dict[str, int]:
    """The levels of the process's logging loggers of `service` (its Powertools loggers')."""
    loggers = logging.root.manager.loggerDict.items()
    return {
        name: logger.level
        for name, logger in loggers
        if isinstance(logger, logging.Logger) and (name == service or name.startswith(f"{service}."))
    }


def _scoped_level(
    module: types.ModuleType, entry: str, service: str, before: dict, level: str, own: str
) -> None:
    """Powertools loggers of one service share the process's logging logger of that name, and a
    Logger made later for a logger already set up keeps its level. So the level the import set
    would stay with every later Logger of the service (the tests' too), and one set up earlier
    would keep this handler from being quieter. Instead the loggers get back the level they had
    (a new one: the function's own), and `level` is set around each call of the handler."""
    for name in _levels(service):
        logging.getLogger(name).setLevel(before.get(name, own))
    handler = getattr(module, entry)

    @functools.wraps(handler)
    def with_level(*args: Any, **kwargs: Any) -> Any:
        saved = _levels(service)
        for name in saved:
            logging.getLogger(name).setLevel(level)
        try:
            return handler(*args, **kwargs)
        finally:
            for name, previous in saved.items():
                logging.getLogger(name).setLevel(previous)

    setattr(module, entry, with_level)


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
