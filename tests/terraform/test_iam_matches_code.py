"""Least privilege, checked against the code: each service's roles allow exactly the DynamoDB
operations its repository calls, no more and no fewer (the roles as Terraform renders them)."""

import re

import pytest

from tests.terraform.conftest import REPO
from tests.terraform.policies import rendered_statements


def called_operations(service: str) -> set[str]:
    """dynamodb:GetItem for self._client.get_item, and so on."""
    source = (REPO / "services" / service / service / "repository.py").read_text()
    names = set(re.findall(r"self\._client\.(\w+)", source))
    return {"dynamodb:" + "".join(part.title() for part in name.split("_")) for name in names}


def allowed_operations(rendered, service: str) -> set[str]:
    actions = set()
    for policy in rendered.of_type("aws_iam_role_policy"):
        if policy.module.startswith(f"module.{service}."):
            for granted in rendered_statements(policy.values["policy"]):
                actions |= {a for a in granted.actions if a.startswith("dynamodb:")}
    return actions


@pytest.mark.parametrize("service", ["product", "basket", "order"])
def test_roles_allow_exactly_the_dynamodb_operations_the_code_calls(rendered, service):
    assert allowed_operations(rendered, service) == called_operations(service)
