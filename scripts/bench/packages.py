"""The zips: build times, reproducibility, sizes and what fills them."""

import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from scripts import build


def builds(scratch: Path) -> dict[str, Any]:
    """Per service: a clean build, a no-op rebuild, and whether a second clean build is identical."""
    found = {}
    for service in build.services():
        started = time.perf_counter()
        first = build.build(service, out_dir=scratch / "first", force=True)
        clean = time.perf_counter() - started
        started = time.perf_counter()
        unchanged = build.build(service, out_dir=scratch / "first")
        noop = time.perf_counter() - started
        second = build.build(service, out_dir=scratch / "second", force=True)
        found[service] = {
            "clean_s": round(clean, 2),
            "noop_s": round(noop, 3),
            "noop_rebuilt": unchanged.rebuilt,
            "identical": first.sha256 == second.sha256,
            "zip": str(first.path),
        }
    return found


def _owner(top: str) -> str:
    """The distribution a top-level entry belongs to (its .dist-info counts with it)."""
    return (
        top.removesuffix(".dist-info").rsplit("-", 1)[0]
        if top.endswith(".dist-info")
        else top.removesuffix(".py")
    )


def size(path: Path, top: int = 3) -> dict[str, Any]:
    """Zipped and unzipped bytes, and the largest top-level entries by zipped bytes."""
    zipped: Counter[str] = Counter()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    for info in infos:
        zipped[_owner(info.filename.split("/")[0])] += info.compress_size
    return {
        "zipped": path.stat().st_size,
        "unzipped": sum(i.file_size for i in infos),
        "files": len(infos),
        "largest": [{"name": name, "zipped": n} for name, n in zipped.most_common(top)],
    }
