"""Optimistic concurrency over HTTP: entity-tags (ETag) out, If-Match in (RFC 9110, 8.8.3 and 13.1.1).

A resource's ETag is a strong entity-tag made of its version token: "3" for a product's version,
"9f2c..." for a basket's revision. A client that sends it back in If-Match writes only if nobody
wrote in between; otherwise it gets 412 and reads again.

The repositories make If-Match a DynamoDB condition with `if_match_condition`, add it to their
own with `Condition.also`, and raise
`VersionMismatch` when it fails; the rules word the 412 for the client.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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


class VersionMismatch(Exception):
    """A conditional write found no item at a version that If-Match names.

    `current`: the token of the version it found (its ETag without quotes); None: no item at all.
    """

    def __init__(self, current: str | None):
        super().__init__("The item is not at a version that If-Match names")
        self.current = current


@dataclass(frozen=True)
class Condition:
    """A DynamoDB condition expression with the names and values it uses."""

    expression: str
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def also(self, other: "Condition | None") -> "Condition":
        """This condition AND `other` (None, as without If-Match: this one alone), with the names
        and values of both."""
        if other is None:
            return self
        shared = (self.names.keys() & other.names.keys()) | (self.values.keys() & other.values.keys())
        if shared:  # one placeholder for two things would silently lose one of them
            raise ValueError(f"conditions share placeholders {sorted(shared)}")
        return Condition(
            f"({self.expression}) AND ({other.expression})",
            self.names | other.names,
            self.values | other.values,
        )


def _string(tag: str) -> dict[str, str]:
    return {"S": tag}


def if_match_condition(
    expected: IfMatch | None,
    key: str,
    version: str,
    value: Callable[[str], dict[str, str]] = _string,
    unversioned: str | None = None,
) -> Condition | None:
    """The condition "the item exists at a version that If-Match names"; None without If-Match.

    `key`: an attribute every item has (its key); `version`: the attribute holding the version
    token; `value`: a tag as a DynamoDB value (a number for numeric versions: a tag that is not
    one may be sent as a string, which never equals a number); `unversioned`: the tag of an item
    stored without the version attribute, if any. `*` means any version of an existing item.
    """
    if expected is None:
        return None
    names = {"#ifMatchKey": key, "#ifMatchVersion": version}
    exists = "attribute_exists(#ifMatchKey)"
    if expected.any:
        return Condition(exists, {"#ifMatchKey": key})
    values = {f":ifMatch{i}": value(tag) for i, tag in enumerate(sorted(expected.tags))}
    clauses = [f"#ifMatchVersion IN ({', '.join(values)})"] if values else []
    if unversioned is not None and unversioned in expected.tags:
        clauses.append("attribute_not_exists(#ifMatchVersion)")
    if not clauses:  # only weak tags, which never match: no item can meet this
        return Condition(f"{exists} AND attribute_not_exists(#ifMatchKey)", {"#ifMatchKey": key})
    return Condition(f"{exists} AND ({' OR '.join(clauses)})", names, values)
