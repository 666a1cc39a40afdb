"""The local cloud's trace segments: one JSON document per line, which `make traces` reads
(scripts/traces.py)."""

import json
import threading
from pathlib import Path
from typing import Any


class TraceStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def add(self, document: dict[str, Any]) -> None:
        line = json.dumps(document, separators=(",", ":"))
        with self._lock, self.path.open("a") as file:
            file.write(line + "\n")

    def documents(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]
