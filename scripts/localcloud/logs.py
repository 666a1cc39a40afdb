"""CloudWatch Logs, locally: each function's log lines (its output and Lambda's platform
records) appended to `<state>/logs/<function>.log`."""

import threading
from pathlib import Path
from typing import IO


class FunctionLogs:
    def __init__(self, directory: Path):
        self.directory = directory
        self._files: dict[str, IO[str]] = {}
        self._lock = threading.Lock()

    def write(self, function: str, line: str) -> None:
        with self._lock:
            file = self._files.get(function)
            if file is None:
                file = self._files[function] = (self.directory / f"{function}.log").open("a")
            file.write(line + "\n")
            file.flush()

    def close(self) -> None:
        with self._lock:
            for file in self._files.values():
                file.close()
            self._files.clear()
