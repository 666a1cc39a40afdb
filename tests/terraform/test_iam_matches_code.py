"""Least privilege, checked against the code: each service's roles allow exactly the DynamoDB
operations its adapters call, no more and no fewer (the stream's, which Lambda's event source
mapping reads with the publisher's role, aside)."""

import re

import botocore.session
import pytest

from tests.terraform.conftest import MODULES, REPO, TerraformTree

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
    assert allowed_operations(service) - STREAM_READS.get(service, set()) == called_operations(service)
