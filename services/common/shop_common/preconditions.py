"""Optimistic concurrency over HTTP: entity-tags (ETag) out, If-Match in (RFC 9110, 8.8.3 and 13.1.1).

A resource's ETag is a strong entity-tag made of its version token: "3" for a product's version,
"9f2c..." for a basket's revision. A client that sends it back in If-Match writes only if nobody
wrote in between; otherwise it gets 412 and reads again.
"""

import re
from dataclasses import dataclass

MAX_TAGS = 20  # more than any client holds for one resource
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"\x00-\x20\x7f]*)"\s*(?:,|$)')


@dataclass(frozen=True)
class IfMatch:
    """An If-Match header: `*` (any current version) or the entity-tags the client holds."""

    any: bool = False
    tags: frozenset[str] = frozenset()  # the strong ones, without quotes

    def matches(self, tag: str) -> bool:
        """Strong comparison: a weak tag the client sent never matches."""
        return self.any or tag in self.tags


def etag(tag: str | int) -> str:
    return f'"{tag}"'


def parse_if_match(value: str) -> IfMatch:
    """Raises ValueError when `value` is neither `*` nor a comma-separated list of entity-tags."""
    text = value.strip()
    if text == "*":
        return IfMatch(any=True)
    tags: set[str] = set()
    position, count = 0, 0
    while position < len(text):
        found = _ENTITY_TAG.match(text, position)
        if found is None or found.end() == position:
            raise ValueError('must be * or a list of entity-tags such as "3"')
        count += 1
        if not found.group(1):
            tags.add(found.group(2))
        position = found.end()
    if count == 0:
        raise ValueError("must not be empty")
    if count > MAX_TAGS:
        raise ValueError(f"must hold at most {MAX_TAGS} entity-tags")
    return IfMatch(tags=frozenset(tags))
