"""A snapshot of the embedded AWS: moto's backends (every service in use: tables and their
items, queues and their messages, buses and rules, parameters, user pools and their users and
keys), pickled between requests (gate.py) to one file, and put back before the server serves.

What moto holds that pickle refuses is rebuilt on load: locks and conditions come back new,
private keys through their PEM or JWK form, and a defaultdict whose factory is a lambda gets
an equivalent factory. The file records the moto and Python versions it was written with and
is loaded only by the same ones: moto's objects are not a stable format.
"""

import functools
import io
import json
import os
import pickle
import sys
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import moto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from moto.backends import get_backend
from moto.core.base_backend import AccountSpecificBackend, BackendDict

from scripts.localcloud.aws.gate import GATE

FORMAT = 1
_PRIVATE_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)
_THREADING = {
    type(threading.Lock()): threading.Lock,
    type(threading.RLock()): threading.RLock,
    threading.Condition: threading.Condition,
    threading.Event: threading.Event,
    threading.Semaphore: threading.Semaphore,
    threading.BoundedSemaphore: threading.BoundedSemaphore,
}


class Unreadable(Exception):
    """The file is not a snapshot this moto and Python can load; the message says why."""


def versions() -> dict[str, Any]:
    return {"format": FORMAT, "moto": moto.__version__, "python": sys.version.split()[0]}


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _equivalent_factory(factory: Callable[[], Any]) -> Callable[[], Any]:
    """A picklable factory that makes what `factory` makes (a lambda of moto's, usually)."""
    made = factory()
    if isinstance(made, defaultdict) and _picklable(made.default_factory):
        return functools.partial(defaultdict, made.default_factory)
    if type(made) in (dict, list, set, int, str):
        return type(made)
    raise pickle.PicklingError(f"a defaultdict whose factory {factory!r} makes {type(made).__name__}")


def _defaultdict(factory: Callable[[], Any], items: dict[Any, Any]) -> defaultdict:
    return defaultdict(factory, items)


def _mapping(kind: type, items: dict[Any, Any], attributes: dict[str, Any], factory: Any = None) -> dict:
    """A dict subclass of moto's rebuilt without calling its __init__, whose arguments pickle
    does not know (ssm's ParameterDict takes an account and a region)."""
    mapping = kind.__new__(kind)
    if isinstance(mapping, defaultdict):
        defaultdict.__init__(mapping, factory)
    dict.update(mapping, items)
    mapping.__dict__.update(attributes)
    return mapping


def _private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _account_backend(service: str, account: str) -> AccountSpecificBackend:
    return get_backend(service)[account]  # type: ignore[call-overload]


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _THREADING:
            return _THREADING[kind], ()
        if isinstance(obj, _PRIVATE_KEYS):
            pem = obj.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            return _private_key, (pem,)
        if kind.__module__.startswith("joserfc.") and hasattr(obj, "as_dict") and hasattr(kind, "import_key"):
            return kind.import_key, (obj.as_dict(private=True),)
        if isinstance(obj, BackendDict):  # moto's registry of a service: by name, not by value
            return get_backend, (obj.service_name,)
        if isinstance(obj, AccountSpecificBackend):
            return _account_backend, (obj.service_name, obj.account_id)
        factory = obj.default_factory if isinstance(obj, defaultdict) else None
        if factory is not None and not _picklable(factory):
            factory = _equivalent_factory(factory)
        if isinstance(obj, dict) and kind not in (dict, defaultdict, OrderedDict):
            return _mapping, (kind, dict(obj), dict(getattr(obj, "__dict__", {})), factory)
        if kind is defaultdict and factory is not obj.default_factory:
            return _defaultdict, (factory, dict(obj))
        return NotImplemented


def _backends() -> dict[str, dict[str, dict[str, Any]]]:
    """Every backend in use: {service: {account: {region: backend}}}."""
    return {
        backends.service_name: {account: dict(regions) for account, regions in backends.items() if regions}
        for backends in BackendDict._instances
    }


def dumps() -> bytes:
    """The snapshot, taken while no request is being served."""
    buffer = io.BytesIO()
    with GATE.alone():
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(_backends())
    header = versions() | {"saved": datetime.now(UTC).isoformat(timespec="seconds")}
    return json.dumps(header).encode() + b"\n" + buffer.getvalue()


def write(path: Path, snapshot: bytes) -> None:
    """Replaces `path` at once: a crash while writing leaves the previous snapshot whole."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as file:
        file.write(snapshot)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)


def header(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        try:
            return json.loads(file.readline())
        except ValueError:
            return {}


def load(path: Path) -> dict[str, Any]:
    """Puts the backends of the snapshot at `path` in place of moto's; returns its header.
    Unreadable when it was written by another moto or Python, or cannot be read."""
    data = path.read_bytes()
    first, _, blob = data.partition(b"\n")
    try:
        saved = json.loads(first)
    except ValueError:
        raise Unreadable("not a snapshot of the local cloud") from None
    expected = versions()
    if {key: saved.get(key) for key in expected} != expected:
        raise Unreadable(
            f"written by moto {saved.get('moto')} on Python {saved.get('python')} "
            f"(format {saved.get('format')}); this is moto {expected['moto']} on Python {expected['python']}"
        )
    try:
        services = pickle.loads(blob)
    except Exception as error:
        raise Unreadable(f"cannot be read: {error!r}") from None
    for service, accounts in services.items():
        backends = get_backend(service)  # type: ignore[call-overload]
        for account, regions in accounts.items():
            for region, backend in regions.items():
                dict.__setitem__(backends[account], region, backend)
    return saved
