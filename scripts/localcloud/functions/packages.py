"""The functions' packages on this machine: each service's local build (scripts/build.py, `local`
target) extracted to a directory that execution environments run from; and, for a hot
reload, a new directory with the service's changed sources beside the same dependencies."""

import os
import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts import build
from scripts.localcloud.functions.runtime import RUNTIME_DIR, ensure_runtime, is_installed

Console = Callable[[str], None]


def extract(package: Path, directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(directory)
    return directory


def prepare(services: list[str], directory: Path, console: Console) -> tuple[Path, dict[str, Path]]:
    """Installs the runtime's packages and builds each service's package (both only when their
    inputs changed), then extracts each to `directory/<service>`. Says what takes long first:
    pip is silent for the minute a first run takes."""
    local_zips = build.TARGETS["local"].out_dir
    missing = [s for s in services if not (local_zips / f"{s}.zip").exists()]
    if not is_installed(RUNTIME_DIR):
        console(
            f"Installing the Lambda runtime's own packages (awslambdaric, boto3) into {RUNTIME_DIR}: "
            "first run only, about a minute ..."
        )
    if missing:
        console(
            f"Building the local packages of {', '.join(missing)} (pip installs their dependencies): "
            "about a minute on a first run, a few seconds after a change ..."
        )
    with ThreadPoolExecutor(max_workers=4) as pool:
        runtime = pool.submit(ensure_runtime)
        builds = {s: pool.submit(_timed_build, s) for s in services}
        runtime_dir = runtime.result()
        packages = {}
        for service, future in builds.items():
            result, seconds = future.result()
            if result.rebuilt:
                console(f"  {service}: built in {seconds:.1f} s")
            packages[service] = extract(result.path, directory / service)
    return runtime_dir, packages


def _timed_build(service: str) -> tuple[build.BuildResult, float]:
    started = time.monotonic()
    result = build.build(service, "local")
    return result, time.monotonic() - started


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def with_new_sources(service: str, current: Path, destination: Path) -> Path:
    """A package directory at `destination`: the dependencies of `current` (hard links, so it
    takes a fraction of a second), and the service's and shop_common's sources as they are now,
    chosen as scripts/build.py chooses them for the zip."""
    sources = build.source_files(service)
    packages = {name.split("/", 1)[0] for name in sources}
    shutil.rmtree(destination, ignore_errors=True)
    for path in current.rglob("*"):
        relative = path.relative_to(current)
        if relative.parts[0] in packages or path.is_dir():
            continue
        (destination / relative).parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(path, destination / relative)
    for name, path in sources.items():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination / name)
    return destination
