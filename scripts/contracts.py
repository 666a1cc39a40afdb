"""Event contracts stay compatible: a schema change may not break a producer or consumer of the last release.

    python -m scripts.contracts check      # every contract against its released version
    python -m scripts.contracts release    # record the current contracts as released (refuses a break)

`contracts/events/<Name>.json` is what the code produces and reads now; `contracts/events/released/
<Name>.json` is the version last released (what prod's schema registry holds, and what deployed
producers and consumers were built against). Producers and consumers deploy on their own schedules,
so an event may be written against either version and read against the other, and consumers
validate what they read: a change is compatible only if events of each version still validate
against the other. That allows adding an *optional* property (consumers ignore fields they do not
know) and changing descriptions, titles and examples. Everything else on a released property is a
break: removing or renaming it, changing its type, making it required or optional, and changing
any constraint (enum, pattern, format, bounds, lengths), since loosening one lets a new producer
send what an old consumer refuses and tightening one refuses what an old producer sends. A
breaking change is a new event (a new detail-type), published beside the old one until every
consumer has moved.
"""

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts" / "events"
RELEASED = CONTRACTS / "released"
# Keys that document a schema without constraining what validates.
_ANNOTATIONS = {"description", "title", "examples", "$schema", "default"}
_STRUCTURE = {"properties", "required", "items", "definitions", "$ref"}


def _resolve(schema: dict, document: dict) -> dict:
    """`schema` with a local `$ref` (#/definitions/X) followed."""
    seen = set()
    while "$ref" in schema:
        reference = schema["$ref"]
        if not reference.startswith("#/") or reference in seen:
            raise ValueError(f"unsupported $ref {reference!r}: only local references are compared")
        seen.add(reference)
        node: Any = document
        for part in reference[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def breaking_changes(old: dict, new: dict) -> list[str]:
    """Each change of `new` that breaks a producer or consumer of `old`, as "path: reason"."""
    return list(_compare(old, new, old, new, "#"))


def _compare(old: dict, new: dict, old_doc: dict, new_doc: dict, path: str) -> Iterator[str]:
    old, new = _resolve(old, old_doc), _resolve(new, new_doc)
    for key in sorted((set(old) | set(new)) - _ANNOTATIONS - _STRUCTURE):
        if key == "additionalProperties" and new.get(key, True) is not False:
            continue  # allowing more properties is what adding an optional one needs
        if old.get(key) != new.get(key):
            yield f"{path}: {key} changed from {_shown(old.get(key))} to {_shown(new.get(key))}"
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for name in sorted(old_properties):
        where = f"{path}/properties/{name}"
        if name not in new_properties:
            yield f"{where}: removed (or renamed): consumers of the released version read it"
            continue
        if (name in old_required) != (name in new_required):
            became = "required" if name in new_required else "optional"
            yield f"{where}: made {became}"
        yield from _compare(old_properties[name], new_properties[name], old_doc, new_doc, where)
    for name in sorted(set(new_properties) - set(old_properties)):
        if name in new_required:
            yield f"{path}/properties/{name}: added as required: producers of the released version omit it"
    for name in sorted(old_required - set(old_properties)):
        if name not in new_required:
            yield f"{path}/required/{name}: no longer required"
    for name in sorted(new_required - old_required - set(new_properties)):
        yield f"{path}/required/{name}: newly required"
    if "items" in old or "items" in new:
        if "items" not in old or "items" not in new:
            yield f"{path}/items: {'added' if 'items' in new else 'removed'}"
        else:
            yield from _compare(old["items"], new["items"], old_doc, new_doc, f"{path}/items")


def _shown(value: Any) -> str:
    return "nothing" if value is None else json.dumps(value)


def contracts() -> dict[str, Path]:
    return {path.stem: path for path in sorted(CONTRACTS.glob("*.json"))}


def check() -> dict[str, list[str]]:
    """Breaking changes per contract that has a released version; unreleased contracts are new."""
    problems = {}
    for name, path in contracts().items():
        released = RELEASED / path.name
        if released.exists():
            found = breaking_changes(json.loads(released.read_text()), json.loads(path.read_text()))
            if found:
                problems[name] = found
    return problems


def release() -> list[str]:
    """Copies the current contracts to released/, unless one breaks its released version."""
    problems = check()
    if problems:
        raise SystemExit(_report(problems))
    RELEASED.mkdir(exist_ok=True)
    written = []
    for path in contracts().values():
        target = RELEASED / path.name
        if not target.exists() or target.read_bytes() != path.read_bytes():
            target.write_bytes(path.read_bytes())
            written.append(path.name)
    return written


def _report(problems: dict[str, list[str]]) -> str:
    lines = [
        f"{name}: {len(found)} breaking change(s) against released/{name}.json"
        for name, found in problems.items()
    ]
    lines += [f"  {line}" for found in problems.values() for line in found]
    lines.append("A breaking change is a new event (a new detail-type) published beside the old one.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["check", "release"])
    args = parser.parse_args(argv)
    if args.command == "release":
        written = release()
        print(f"released: {', '.join(written)}" if written else "nothing changed since the last release")
        return 0
    problems = check()
    if problems:
        print(_report(problems))
        return 1
    print(f"{len(contracts())} contracts compatible with their released versions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
