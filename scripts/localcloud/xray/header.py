"""X-Ray trace ids and trace headers, as API Gateway and Lambda make and pass them."""

import os
import time
from dataclasses import dataclass


def new_trace_id() -> str:
    return f"1-{int(time.time()):08x}-{os.urandom(12).hex()}"


def new_segment_id() -> str:
    return os.urandom(8).hex()


@dataclass(frozen=True)
class TraceHeader:
    root: str
    parent: str | None = None
    sampled: bool = True

    @classmethod
    def parse(cls, header: str | None) -> "TraceHeader | None":
        """Reads `Root=...;Parent=...;Sampled=1`; None when there is no valid root."""
        fields = dict(part.strip().partition("=")[::2] for part in (header or "").split(";") if "=" in part)
        root = fields.get("Root", "")
        if not (root.startswith("1-") and len(root) == 35):
            return None
        return cls(root, fields.get("Parent") or None, fields.get("Sampled", "1") != "0")

    def __str__(self) -> str:
        parent = f";Parent={self.parent}" if self.parent else ""
        return f"Root={self.root}{parent};Sampled={int(self.sampled)}"
