"""Least privilege, checked against the code: each service's roles allow exactly the DynamoDB
operations its repository calls, no more and no fewer."""

import re

import pytest

from tests.terraform.conftest import MODULES, REPO, TerraformTree


def called_operations(service: str) -> set[str]:
    """dynamodb:GetItem for self._client.get_item, and so on."""
    source = (REPO / "services" / service / service / "repository.py").read_text()
    names = set(re.findall(r"self\._client\.(\w+)", source))
    return {"dynamodb:" + "".join(part.title() for part in name.split("_")) for name in names}


def allowed_operations(service: str) -> set[str]:
    tree = TerraformTree(MODULES / service)
    actions = set()
    for document in tree.blocks("data"):
        if document.labels[0] == "aws_iam_policy_document":
            for statement in document.body.get("statement", []):
                actions |= {a for a in statement.get("actions", []) if a.startswith("dynamodb:")}
    return actions


@pytest.mark.parametrize("service", ["product", "basket", "order"])
def test_roles_allow_exactly_the_dynamodb_operations_the_code_calls(service):
    assert allowed_operations(service) == called_operations(service)
