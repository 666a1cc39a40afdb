"""Least privilege, read from the Terraform: each function's role allows exactly the actions on
exactly the resources listed here, and nothing else in the modules grants a wildcard.

A function's policy is its service module's policy document (policy_json of its
lambda-function module call) merged with what the lambda-function module adds to every function:
writing its own log group, and X-Ray, the one place where AWS requires Resource "*" (X-Ray has
no resource-level permissions). Resources are Terraform expressions, compared as written.
"""

from dataclasses import dataclass

import pytest

from basket.models import EVENT_SOURCE
from product.events import EVENT_SOURCE as PRODUCT_EVENT_SOURCE
from tests.terraform.conftest import MODULES, TerraformTree
from tests.terraform.test_local_cloud_matches import Module

XRAY_ACTIONS = frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"})


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: frozenset[str]
    resources: frozenset[str]
    conditions: frozenset[tuple[str, str, tuple[str, ...]]] = frozenset()  # (test, variable, values)


def statement(sid: str, actions: set[str], resources: set[str], conditions=()) -> Statement:
    return Statement(sid, frozenset(actions), frozenset(resources), frozenset(conditions))


EVERY_FUNCTION = {
    statement(
        "WriteOwnLogs",
        {"logs:CreateLogStream", "logs:PutLogEvents"},
        {"${aws_cloudwatch_log_group.this.arn}:*"},
    ),
    statement("XRay", set(XRAY_ACTIONS), {"*"}),
}
EXPECTED = {
    ("product", "function"): {
        statement(
            "ProductTable",
            {
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
            },
            {"${aws_dynamodb_table.product.arn}"},
        ),
        statement(
            "ListingIndexes",
            {"dynamodb:Query"},
            {
                "${aws_dynamodb_table.product.arn}/index/category-index",
                "${aws_dynamodb_table.product.arn}/index/catalogue-index",
            },
        ),
    },
    ("product", "publisher_function"): {
        statement(
            "ReadProductStream",
            {
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:ListStreams",
            },
            {"${aws_dynamodb_table.product.stream_arn}"},
        ),
        statement(
            "PublishProductEvents",
            {"events:PutEvents"},
            {"${data.aws_ssm_parameter.bus_arn.insecure_value}"},
            {("StringEquals", "events:source", (PRODUCT_EVENT_SOURCE,))},
        ),
        statement("DescribeFailedRecords", {"sqs:SendMessage"}, {"${aws_sqs_queue.events_failed.arn}"}),
    },
    ("basket", "function"): {
        statement(
            "BasketTable",
            {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"},
            {"${aws_dynamodb_table.basket.arn}"},
        ),
        statement("ReadCatalogueReplica", {"dynamodb:BatchGetItem"}, {"${aws_dynamodb_table.catalogue.arn}"}),
        statement(
            "PublishBasketEvents",
            {"events:PutEvents"},
            {"${data.aws_ssm_parameter.bus_arn.insecure_value}"},
            {("StringEquals", "events:source", (EVENT_SOURCE,))},
        ),
    },
    ("basket", "catalogue_consumer_function"): {
        statement("WriteCatalogueReplica", {"dynamodb:PutItem"}, {"${aws_dynamodb_table.catalogue.arn}"}),
        statement(
            "ConsumeCatalogueQueue",
            {
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility",
            },
            {"${module.catalogue_subscription.queue_arn}"},
        ),
    },
    ("order", "api_function"): {
        statement("ReadOrders", {"dynamodb:GetItem", "dynamodb:Scan"}, {"${aws_dynamodb_table.orders.arn}"}),
        statement(
            "ListUserOrders", {"dynamodb:Query"}, {"${aws_dynamodb_table.orders.arn}/index/user-index"}
        ),
    },
    ("order", "consumer_function"): {
        statement("WriteOrders", {"dynamodb:PutItem"}, {"${aws_dynamodb_table.orders.arn}"}),
        statement(
            "ConsumeCheckoutQueue",
            {
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility",
            },
            {"${module.checkout_subscription.queue_arn}"},
        ),
    },
}


def statements_of(module: Module, document: dict) -> set[Statement]:
    found = set()
    for entry in document.get("statement", []):
        assert entry.get("effect", "Allow") == "Allow", entry
        assert not {"not_actions", "not_resources", "not_principals"} & set(entry), entry
        conditions = {
            (c["test"], c["variable"], tuple(module.resolve(v) for v in c["values"]))
            for c in entry.get("condition", [])
        }
        found.add(
            statement(
                entry.get("sid", ""),
                set(entry.get("actions", [])),
                {module.resolve(r) for r in entry.get("resources", [])},
                conditions,
            )
        )
    return found


def documents(module: Module) -> dict[str, dict]:
    return {
        b.labels[1]: b.body for b in module.tree.blocks("data") if b.labels[0] == "aws_iam_policy_document"
    }


def module_policy() -> tuple[set[Statement], dict]:
    """What the lambda-function module adds to every function's policy, and its whole document."""
    module = Module("lambda-function")
    document = documents(module)["this"]
    return statements_of(module, document), document


def function_policies() -> dict[tuple[str, str], set[Statement]]:
    added, _ = module_policy()
    policies = {}
    for service in ("product", "basket", "order"):
        module = Module(service)
        for call in module.tree.blocks("module"):
            if call.body.get("source") != "../lambda-function":
                continue
            reference = call.body["policy_json"]  # ${data.aws_iam_policy_document.NAME.json}
            name = reference.removeprefix("${data.aws_iam_policy_document.").removesuffix(".json}")
            policies[(service, call.labels[0])] = statements_of(module, documents(module)[name]) | added
    return policies


def test_every_function_is_listed():
    assert set(function_policies()) == set(EXPECTED)


@pytest.mark.parametrize("function", EXPECTED, ids=lambda f: "/".join(f))
def test_each_function_allows_exactly_its_actions_on_its_resources(function):
    assert function_policies()[function] == EXPECTED[function] | EVERY_FUNCTION


# Each service publishes only events of its own source.
SOURCES = {"basket": EVENT_SOURCE, "product": PRODUCT_EVENT_SOURCE}


@pytest.mark.parametrize("function", EXPECTED, ids=lambda f: "/".join(f))
def test_no_wildcards_but_xrays_and_putevents_only_from_the_services_own_events(function):
    for granted in function_policies()[function]:
        assert not any("*" in action for action in granted.actions), granted
        for resource in granted.resources:
            if resource == "*":
                # X-Ray has no resource-level permissions: its two write actions, nothing else.
                assert granted.actions == XRAY_ACTIONS, granted
            else:
                # The only other "*": ":*", the log streams of the function's own log group.
                assert "*" not in resource.removesuffix(":*"), granted
        if "events:PutEvents" in granted.actions:
            source = SOURCES[function[0]]
            assert ("StringEquals", "events:source", (source,)) in granted.conditions, granted
            assert granted.actions == {"events:PutEvents"}


def test_the_module_adds_only_logs_and_xray_and_merges_only_the_functions_own_document():
    added, document = module_policy()
    assert added == EVERY_FUNCTION
    assert document["source_policy_documents"] == ["${var.policy_json}"]
    assert not {"override_policy_documents", "policy_id"} & set(document)
    tree = TerraformTree(MODULES / "lambda-function")
    # One inline policy per role, and no managed policy attached to it.
    assert len(tree.resources("aws_iam_role_policy")) == 1
    assert tree.resources("aws_iam_role_policy_attachment") == []
    (role,) = tree.resources("aws_iam_role")
    assert not {"managed_policy_arns", "inline_policy"} & set(role.body)


def test_only_lambda_assumes_a_function_role_and_only_from_this_account():
    (trust,) = statements_of(Module("lambda-function"), documents(Module("lambda-function"))["assume_role"])
    document = documents(Module("lambda-function"))["assume_role"]["statement"][0]
    assert trust.actions == {"sts:AssumeRole"}
    assert document["principals"] == [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]
    assert trust.conditions == {
        ("StringEquals", "aws:SourceAccount", ("${data.aws_caller_identity.current.account_id}",))
    }


# The only wildcards elsewhere: a KMS key policy, where Resource "*" means the key itself and the
# account statement is AWS's default delegation to IAM (checkov skips say the same, inline).
KEY_POLICY_WILDCARDS = {
    ("monitoring", "key", "AccountAdministersTheKeyThroughIam"),
    ("monitoring", "key", "CloudWatchAlarmsPublishToTheTopic"),
}


def test_no_other_policy_document_in_the_modules_grants_a_wildcard():
    tree = TerraformTree(MODULES)
    for block in tree.blocks("data"):
        if block.labels[0] != "aws_iam_policy_document":
            continue
        module = block.path.parent.relative_to(MODULES).as_posix()
        for entry in block.body.get("statement", []):
            wildcard = any("*" in a for a in entry.get("actions", [])) or "*" in entry.get("resources", [])
            if not wildcard:
                continue
            where = (module, block.labels[1], entry.get("sid", ""))
            allowed = (module, block.labels[1]) == ("lambda-function", "this") and entry.get("sid") == "XRay"
            assert allowed or where in KEY_POLICY_WILDCARDS, where
