"""The state of tests/terraform/render (every component of dev in one configuration) as
Terraform leaves it after an apply with tf-offline's stand-in: every value evaluated and every
aws_iam_policy_document rendered, by Terraform and the provider schema rather than by reading HCL.

A plan would not do: Terraform reads a policy document only once the resources it names exist, so
in the plan of a new environment every policy is "known after apply". The apply's state is what
`terraform show -json` prints; `terraform test -json -verbose` prints it after each run.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

REFERENCE = re.compile(r"\$\{([^}]+)\.(\w+)\}")  # ${ADDRESS.ATTRIBUTE}


def diagnostics(output: str) -> str:
    """Terraform's errors and warnings in `terraform test -json` output, as it would print them."""
    found = []
    for line in output.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        diagnostic = message.get("diagnostic")
        if diagnostic:
            where = diagnostic.get("range", {})
            place = f"{where.get('filename')}:{where.get('start', {}).get('line')}: " if where else ""
            found.append(
                f"{diagnostic['severity']}: {place}{diagnostic['summary']}: {diagnostic.get('detail', '')}"
            )
    return "\n".join(found) or output[-8000:]


@dataclass(frozen=True)
class Resource:
    address: str  # module.order.module.api_function.aws_iam_role.this
    module: str  # module.order.module.api_function ("" for the root)
    mode: str  # managed or data
    type: str
    values: dict[str, Any]


class Rendered:
    def __init__(self, state: dict[str, Any]):
        self.resources: dict[str, Resource] = {}
        self.outputs: dict[str, Any] = {name: o["value"] for name, o in state.get("outputs", {}).items()}
        self._collect(state["root_module"])

    @classmethod
    def from_test_output(cls, output: str) -> "Rendered":
        """The state printed after the apply run (`terraform test -json -verbose`)."""
        states = []
        for line in output.splitlines():
            if line.startswith("{"):
                message = json.loads(line)
                if message.get("type") == "test_state":
                    states.append(message["test_state"])
        if len(states) != 1:
            raise AssertionError(
                f"expected the state of one apply run, found {len(states)}:\n{output[-4000:]}"
            )
        return cls(states[0])

    def _collect(self, module: dict[str, Any], address: str = "") -> None:
        for resource in module.get("resources", []):
            self.resources[resource["address"]] = Resource(
                resource["address"], address, resource["mode"], resource["type"], resource["values"]
            )
        for child in module.get("child_modules", []):
            self._collect(child, child["address"])

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources.values() if r.type == type_]

    def resolve(self, module: str, text: str) -> str:
        """Replaces each ${ADDRESS.ATTRIBUTE} in text by that attribute of the resource (or data
        source) at ADDRESS inside MODULE, as rendered: "${aws_dynamodb_table.product.arn}/index/x"
        in module.product -> "arn:aws:dynamodb:...:table/shop-dev-product/index/x"."""

        def value(match: re.Match) -> str:
            address = f"{module}.{match.group(1)}" if module else match.group(1)
            if address not in self.resources:
                raise AssertionError(f"{match.group(0)} in {module}: no {address} in the rendered state")
            named = self.resources[address]
            found = named.values[match.group(2)]
            twins = [
                r.address
                for r in self.resources.values()
                if r.type == named.type and r.address != address and r.values.get(match.group(2)) == found
            ]
            if named.mode == "managed" and twins:
                # The stand-in's placeholder, the same for every resource of a type: it would not
                # say which one a policy names.
                raise AssertionError(
                    f"{address} has the same {match.group(2)} as {twins}: give it its own in "
                    "tests/terraform/render/render.tftest.hcl (override_resource)"
                )
            return str(found)

        return REFERENCE.sub(value, text)
