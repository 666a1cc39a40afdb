"""Hot reload: a file saved under services/ rebuilds that service's local package and replaces
the execution environments of its functions, with no restart, and says so on the console.

    services/<svc>/<svc>/...           the package <svc>: its new sources beside the same
                                       dependencies (a fraction of a second, no pip)
    services/common/shop_common/...    every package (each holds shop_common)
    services/<svc>/requirements.txt    a full build of <svc> (pip: seconds to a minute)
    services/<svc>/openapi.yaml        the API's routes

The new environment of each function starts beside the old ones; once it is initialised it
takes every new invocation, and the old ones finish what they hold, then stop: no request
fails for a reload. A change that breaks the init is deployed all the same, as it would be
on Lambda, and the console shows the init error until the next save fixes it.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scripts import build
from scripts.localcloud.functions.packages import extract, with_new_sources
from scripts.localcloud.watcher import Watcher

if TYPE_CHECKING:
    from scripts.localcloud.cloud import LocalCloud

SHARED = "common"  # services/common: shop_common, in every package


@dataclass
class Plan:
    sources: dict[str, set[Path]] = field(default_factory=dict)  # package -> changed files
    dependencies: set[str] = field(default_factory=set)  # packages to build in full
    routes: set[Path] = field(default_factory=set)  # changed OpenAPI documents

    def __bool__(self) -> bool:
        return bool(self.sources or self.dependencies or self.routes)


def plan(changed: set[Path], services_dir: Path, packages: set[str]) -> Plan:
    """What the changed files call for, among the local cloud's `packages`."""
    result = Plan()
    for path in changed:
        parts = path.relative_to(services_dir).parts
        if len(parts) < 2:
            continue
        owner = parts[0]
        if parts[1:] == ("openapi.yaml",) and owner in packages:
            result.routes.add(path)
        elif parts[1:] == ("requirements.txt",) and owner in packages:
            result.dependencies.add(owner)
        elif owner == SHARED and parts[1] == "shop_common":
            for package in packages:
                result.sources.setdefault(package, set()).add(path)
        elif owner in packages and parts[1] == owner:
            result.sources.setdefault(owner, set()).add(path)
    return result


class HotReload:
    def __init__(self, cloud: "LocalCloud", services_dir: Path, interval: float = 0.5):
        self.cloud = cloud
        self.services_dir = services_dir
        self.interval = interval
        self._watcher = Watcher(services_dir)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._generation = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            changed = self._watcher.changes()
            if not changed:
                continue
            try:
                self.apply(changed)
            except Exception as error:  # a failed build: say it, keep the environments as they are
                self.cloud.console(f"Reload failed: {error!r}")

    def apply(self, changed: set[Path]) -> None:
        work = plan(changed, self.services_dir, set(self.cloud.packages) - set(self.cloud.prepared))
        saved_at = max((p.stat().st_mtime for p in changed if p.exists()), default=time.time())
        packages = sorted(set(work.sources) | work.dependencies)
        with ThreadPoolExecutor(max_workers=max(1, len(packages))) as reloading:  # shop_common: all at once
            for outcome in [
                reloading.submit(
                    self._reload, package, package in work.dependencies, self._files(work, package), saved_at
                )
                for package in packages
            ]:
                outcome.result()
        if work.routes:
            names = ", ".join(str(p.relative_to(self.services_dir.parent)) for p in sorted(work.routes))
            self.cloud.console(f"Reloading the routes ({names} changed) ...")
            self.cloud.reload_routes()

    def _files(self, work: Plan, package: str) -> set[Path]:
        requirements = (
            {self.services_dir / package / "requirements.txt"} if package in work.dependencies else set()
        )
        return work.sources.get(package, set()) | requirements

    def _reload(self, package: str, full: bool, files: set[Path], saved_at: float) -> None:
        shown = ", ".join(sorted(str(p.relative_to(self.services_dir.parent)) for p in files)[:3])
        more = f" and {len(files) - 3} more" if len(files) > 3 else ""
        how = "full build, pip" if full else "new sources"
        self.cloud.console(f"Reloading {package} ({shown}{more} changed; {how}) ...")
        started = time.monotonic()
        with self._lock:
            self._generation += 1
            destination = self.cloud.functions_dir / f"{package}.{self._generation}"
        if full:
            extract(build.build(package, "local").path, destination)
        else:
            with_new_sources(package, self.cloud.packages[package], destination)
        built = time.monotonic() - started
        functions = [name for name, pool in self.cloud.pools.items() if pool.function.package == package]
        with ThreadPoolExecutor(max_workers=max(1, len(functions))) as pool:
            inits = dict(
                zip(functions, pool.map(lambda f: self.cloud.replace(f, destination), functions), strict=True)
            )
        self.cloud.packages[package] = destination
        failed = [f for f, seconds in inits.items() if seconds is None]
        ready = ", ".join(f"{f} {seconds:.1f} s" for f, seconds in inits.items() if seconds is not None)
        summary = f"package {built:.1f} s" + (f", init {ready}" if ready else "")
        if failed:
            summary += f"; init FAILED in {', '.join(failed)} (above): fix and save again"
        self.cloud.console(f"Reloaded {package} {time.time() - saved_at:.1f} s after the save ({summary})")
