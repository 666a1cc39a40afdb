"""Events that break an event contract (a draft-04 JSON Schema of contracts/events/), one
constraint at a time: each constraint of the schema, nested ones too, broken in turn on an
example. Consumer contract tests check that their model refuses every such event."""

import copy
from collections.abc import Iterator
from typing import Any

import pytest

MISSING = object()  # the field is left out


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _wrong_type(kind: str) -> Any:
    return {"string": 12, "number": "12", "integer": 1.5, "array": {}, "object": []}[kind]


def _breaking(node: dict[str, Any], value: Any) -> Iterator[tuple[str, Any]]:
    """(constraint, a value that breaks it) for each constraint of `node`; `value` is a valid one."""
    if "type" in node:
        yield "type", _wrong_type(node["type"])
        if node["type"] in ("string", "number", "integer"):
            yield "null", None
    if "enum" in node:
        yield "enum", "someone.else"
    if "minLength" in node:
        yield "minLength", ""
    if "maxLength" in node:
        yield "maxLength", "a" * (node["maxLength"] + 1)
    if "pattern" in node:
        yield "pattern", "not valid here"
    if "minimum" in node:
        yield "minimum", node["minimum"] - 1
    if "maximum" in node:
        yield "maximum", node["maximum"] + 1
    if "minItems" in node:
        yield "minItems", []
    if "maxItems" in node:
        yield "maxItems", [value[0]] * (node["maxItems"] + 1)
    if node.get("format") == "email":
        yield "format", "not-an-email"
    if node.get("format") == "date-time":
        yield "format", "yesterday"


def _cases(schema: dict, node: dict, value: Any, path: tuple) -> Iterator[tuple[tuple, str, Any]]:
    node = _resolved(schema, node)
    for constraint, bad in _breaking(node, value):
        yield path, constraint, bad
    if node.get("type") == "object" or "properties" in node:
        for name in node.get("required", []):
            yield (*path, name), "required", MISSING
        for name, child in node.get("properties", {}).items():
            if name in value:
                yield from _cases(schema, child, value[name], (*path, name))
    if node.get("type") == "array" and "items" in node and value:
        yield from _cases(schema, node["items"], value[0], (*path, 0))


def broken(schema: dict[str, Any], path: tuple, bad: Any) -> dict[str, Any]:
    """The schema's first example with the value at `path` replaced by `bad` (or left out: MISSING)."""
    event = copy.deepcopy(schema["examples"][0])
    *parents, last = path
    target = event
    for part in parents:
        target = target[part]
    if bad is MISSING:
        del target[last]
    else:
        target[last] = bad
    return event


def breaking_cases(schema: dict[str, Any]) -> list:
    """pytest params (path, bad value), one per constraint, with ids such as detail.price:minimum."""
    return [
        pytest.param(path, bad, id=f"{'.'.join(map(str, path))}:{constraint}")
        for path, constraint, bad in _cases(schema, schema, schema["examples"][0], ())
        if path  # the event as a whole is an object either way
    ]


def constraints_of(cases: list) -> set[str]:
    return {case.id.rsplit(":", 1)[1] for case in cases}
