"""Least privilege, checked against the code: each service's roles allow exactly the DynamoDB
operations its adapters call, no more and no fewer (the roles as Terraform renders them; the
stream's, which Lambda's event source mapping reads with the publisher's role, aside)."""

import re

import botocore.session
import pytest

from tests.terraform.conftest import REPO
from tests.terraform.policies import rendered_statements

DYNAMODB_OPERATIONS = set(botocore.session.get_session().get_service_model("dynamodb").operation_names)
# The event source mapping reads the product table's stream with the publisher's role.
STREAM_READS = {
    "product": {
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    }
}


def called_operations(service: str) -> set[str]:
    """dynamodb:GetItem for self._client.get_item, and so on, in any module of the service."""
    names = set()
    for source in (REPO / "services" / service / service).glob("*.py"):
        names |= set(re.findall(r"self\._client\.(\w+)", source.read_text()))
    operations = {"".join(part.title() for part in name.split("_")) for name in names}
    return {f"dynamodb:{operation}" for operation in operations & DYNAMODB_OPERATIONS}


def allowed_operations(rendered, service: str) -> set[str]:
    actions = set()
    for policy in rendered.of_type("aws_iam_role_policy"):
        if policy.module.startswith(f"module.{service}."):
            for granted in rendered_statements(policy.values["policy"]):
                actions |= {a for a in granted.actions if a.startswith("dynamodb:")}
    return actions


@pytest.mark.parametrize("service", ["product", "basket", "order"])
def test_roles_allow_exactly_the_dynamodb_operations_the_code_calls(rendered, service):
    assert allowed_operations(rendered, service) - STREAM_READS.get(service, set()) == called_operations(
        service
    )
