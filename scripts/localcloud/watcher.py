"""Notices files saved under a directory, by polling their size and modification time.

Polling rather than inotify (watchdog, watchfiles): services/ holds a few hundred files, which
a stat each half second costs nothing, and it works the same on every OS with no dependency.
Editors' scratch files and bytecode are not changes.
"""

import time
from pathlib import Path

_IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", ".tmp", "~")
_IGNORED_NAMES = {"4913"}  # vim's probe file


def _watched(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if any(part.startswith(".") or part == "__pycache__" for part in relative):
        return False
    return path.name not in _IGNORED_NAMES and not path.name.endswith(_IGNORED_SUFFIXES)


def files(root: Path) -> dict[Path, tuple[int, int]]:
    """Each watched file under `root`, with its modification time (ns) and size."""
    found = {}
    for path in root.rglob("*"):
        if _watched(path, root):
            try:
                status = path.stat()
            except OSError:  # removed meanwhile
                continue
            if path.is_file():
                found[path] = (status.st_mtime_ns, status.st_size)
    return found


class Watcher:
    def __init__(self, root: Path, settle: float = 0.2):
        self.root = root
        self.settle = settle  # editors save in several writes: wait until they are done
        self._known = files(root)

    def changes(self) -> set[Path]:
        """The files added, changed or removed since the last call."""
        current = files(self.root)
        changed = {p for p in current.keys() | self._known.keys() if current.get(p) != self._known.get(p)}
        while changed:
            time.sleep(self.settle)
            later = files(self.root)
            more = {p for p in later.keys() | current.keys() if later.get(p) != current.get(p)}
            current = later
            if not more:
                break
            changed |= more
        self._known = current
        return changed
