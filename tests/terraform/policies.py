"""IAM policy documents as sets of statements, to compare a rendered policy with an expected one
whatever the order of statements, actions, resources or condition values."""

import json
from dataclasses import dataclass
from typing import Any

from tests.terraform.rendered import Rendered


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: frozenset[str]
    resources: frozenset[str]
    conditions: frozenset[tuple[str, str, tuple[str, ...]]] = frozenset()  # (test, variable, values)
    principals: frozenset[tuple[str, str]] = frozenset()  # (type, identifier); none in a role's policy
    effect: str = "Allow"


def statement(sid, actions, resources, conditions=(), principals=(), effect="Allow") -> Statement:
    return Statement(
        sid, frozenset(actions), frozenset(resources), frozenset(conditions), frozenset(principals), effect
    )


def listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def rendered_statements(document: str) -> set[Statement]:
    """The statements of a policy as AWS receives it."""
    found = set()
    for entry in json.loads(document)["Statement"]:
        assert not {"NotAction", "NotResource", "NotPrincipal"} & set(entry), entry
        principal = entry.get("Principal", {})
        principals = (
            {("*", "*")} if principal == "*" else {(k, i) for k, v in principal.items() for i in listed(v)}
        )
        conditions = {
            (test, variable, tuple(sorted(listed(values))))
            for test, variables in entry.get("Condition", {}).items()
            for variable, values in variables.items()
        }
        found.add(
            statement(
                entry.get("Sid", ""),
                listed(entry["Action"]),
                listed(entry.get("Resource")),
                conditions,
                principals,
                entry["Effect"],
            )
        )
    return found


def resolved(rendered: Rendered, module: str, statements: set[Statement]) -> set[Statement]:
    """Expected statements with their ${...} references rendered in MODULE."""
    return {
        statement(
            s.sid,
            s.actions,
            {rendered.resolve(module, r) for r in s.resources},
            {
                (t, v, tuple(sorted(rendered.resolve(module, x) for x in values)))
                for t, v, values in s.conditions
            },
            s.principals,
            s.effect,
        )
        for s in statements
    }
