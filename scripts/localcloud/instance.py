"""Which local cloud owns which state directory and which ports.

Each port has its own state directory (`.localcloud/<port>/`: logs, traces, packages, the
saved AWS state, endpoints.json), so two local clouds on two ports never share one. And the
running one holds an exclusive lock on `<state>/lock` for as long as it runs; the kernel
drops it however the process ends (Ctrl-C, a crash, kill -9), so a stale lock cannot block a
restart. Both, because each covers what the other cannot: the port alone does not guard a
state directory named with --state-dir, and the lock alone would make a second port wait for
the first. A second instance checks the lock, then binds both of its ports, and gives up with
a message naming the port and the variable to change before it touches anything.
"""

import argparse
import contextlib
import errno
import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO, Any

from scripts.localcloud import system

DEFAULT_PORT = 3000
DEFAULT_AWS_PORT = 4566  # LocalStack's, which aws --endpoint-url habits expect
STATE_ROOT = system.ROOT / ".localcloud"


ENDPOINTS = "endpoints.json"  # what a running local cloud writes in its state directory


def state_dir(port: int) -> Path:
    """The state directory of the local cloud whose APIs are on `port`."""
    return STATE_ROOT / str(port)


def port_from_environment() -> int:
    return int(os.environ.get("PORT") or DEFAULT_PORT)


class Refused(Exception):
    """The local cloud does not start; the message says why and what to do instead."""


def free_port_after(port: int) -> int:
    """The first port after `port` that can be bound on 127.0.0.1 (for the advice only)."""
    for candidate in range(port + 1, min(port + 100, 65535)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    return port + 1


def listening_socket(port: int, role: str, variable: str) -> socket.socket:
    """A socket bound and listening on 127.0.0.1:`port`; Refused, naming `variable`, when taken."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT, not a live listener
    try:
        server.bind(("127.0.0.1", port))
        server.listen(1024)
    except OSError as error:
        server.close()
        if error.errno == errno.EADDRINUSE:
            raise Refused(
                f"Port {port} ({role}) is taken. Stop what uses it, or choose another port: "
                f"{variable}={free_port_after(port)} make run"
            ) from None
        raise Refused(f"Port {port} ({role}) cannot be used: {error.strerror}") from None
    return server


def port_refused(port: int, role: str, variable: str, error: OSError) -> Refused:
    """Why `port` could not be bound (`error`), as listening_socket says it."""
    try:
        listening_socket(port, role, variable).close()
    except Refused as refusal:
        return refusal
    return Refused(f"Port {port} ({role}) cannot be used: {error.strerror}")


class StateLock:
    """The running local cloud's hold on its state directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / "lock"
        self._file: IO[str] | None = None

    def acquire(self, port: int) -> None:
        """Refused when another local cloud holds the directory; nothing in it is changed then."""
        self.directory.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.close()
            holder = running(self.directory) or {}
            held_port = holder.get("port", port)
            aws_port = holder.get("aws_port") or DEFAULT_AWS_PORT
            raise Refused(
                f"A local cloud already runs on port {held_port} (pid {holder.get('pid', '?')}) with the "
                f"state directory {self.directory}. Stop it first (Ctrl-C in its terminal), or run another "
                f"one beside it: PORT={free_port_after(held_port)} "
                f"AWS_PORT={free_port_after(aws_port)} make run"
            ) from None
        self._file = file

    def record(self, **details: Any) -> None:
        """Writes who holds the lock (pid, ports), for the messages of those refused."""
        assert self._file is not None
        self._file.seek(0)
        self._file.truncate()
        self._file.write(json.dumps({"pid": os.getpid(), **details}))
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.seek(0)
                self._file.truncate()
            self._file.close()  # closing drops the lock
            self._file = None


def running(directory: Path) -> dict[str, Any] | None:
    """What the local cloud holding `directory` recorded (pid, ports), or None when none runs."""
    path = directory / "lock"
    if not path.exists():
        return None
    with path.open() as file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            try:
                return json.loads(file.read() or "{}")
            except ValueError:
                return {}
        fcntl.flock(file, fcntl.LOCK_UN)
        return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--port and --state-dir, for the tools that find a local cloud by its state directory."""
    parser.add_argument(
        "--port",
        type=int,
        default=port_from_environment(),
        help="the local cloud's APIs' port (default $PORT or 3000)",
    )
    parser.add_argument("--state-dir", type=Path, help="its state directory (default .localcloud/PORT)")


def chosen_state_dir(arguments: argparse.Namespace) -> Path:
    return arguments.state_dir or state_dir(arguments.port)


def endpoints(directory: Path) -> dict[str, Any] | None:
    """What the local cloud of the state directory wrote in its endpoints.json (the URLs of its
    APIs and AWS, its traces, its user pools); None when there is none."""
    path = directory / ENDPOINTS
    return json.loads(path.read_text()) if path.exists() else None


def not_found(directory: Path) -> str:
    """What a tool says when `endpoints` finds no local cloud in the state directory."""
    return f"No local cloud found ({directory / ENDPOINTS} is missing): start `make run`"
