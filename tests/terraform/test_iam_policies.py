"""Least privilege, read from what Terraform renders: each function's role allows exactly the
actions on exactly the resources listed here, only Lambda of this account assumes it, each
service's CodeDeploy role may only shift that service's aliases and read their rollback alarms,
only CodeDeploy for those deployment groups assumes it, every role carries the environment's
permissions boundary, every resource policy is exactly as listed, and no policy grants a wildcard
but those named here.

The policies are those of tests/terraform/render (every component of dev, as the live roots wire
them) after an apply with tf-offline's stand-in, which renders each aws_iam_policy_document as the
provider does (source documents merged, statements as AWS receives them): see rendered.py.

Expected resources are Terraform references, ${ADDRESS.ATTRIBUTE} inside the module that owns the
policy (EVERY_FUNCTION: inside the function's lambda-function module), resolved to what that
resource renders to. A new role or resource policy is one more entry below; a resource that a
policy names needs its own ARN in render/render.tftest.hcl (a test says so when it is missing).
"""

import json

import pytest

from basket.models import EVENT_SOURCE
from product.events import EVENT_SOURCE as PRODUCT_EVENT_SOURCE
from tests.terraform.conftest import RENDER
from tests.terraform.policies import rendered_statements, resolved, statement
from tests.terraform.rendered import Rendered

ACCOUNT = "123456789012"  # the stand-in's account (aws_caller_identity)
XRAY_ACTIONS = frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"})


# What the lambda-function module adds to every function's policy: writing its own log group, and
# X-Ray, the one place where AWS requires Resource "*" (X-Ray has no resource-level permissions).
EVERY_FUNCTION = {
    statement(
        "WriteOwnLogs",
        {"logs:CreateLogStream", "logs:PutLogEvents"},
        {"${aws_cloudwatch_log_group.this.arn}:*"},
    ),
    statement("XRay", XRAY_ACTIONS, {"*"}),
}

# (service module, its lambda-function module call) -> the function's own statements, resolved
# in module.<service>.
EXPECTED = {
    ("product", "function"): {
        statement(
            "ProductTable",
            {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
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
            {"${module.catalogue_subscription.aws_sqs_queue.this.arn}"},
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
            {"${module.checkout_subscription.aws_sqs_queue.this.arn}"},
        ),
    },
}

# Resource policies: (module, resource address in it, attribute) -> statements, resolved in module.
RULE_SENDS = {("ArnEquals", "aws:SourceArn", ("${aws_cloudwatch_event_rule.this.arn}",))}
EVENTBRIDGE = {("Service", "events.amazonaws.com")}
CLOUDWATCH = {("Service", "cloudwatch.amazonaws.com")}
EXPECTED_RESOURCE_POLICIES = {
    ("module.order.module.checkout_subscription", "aws_sqs_queue_policy.this", "policy"): {
        statement("AllowRule", {"sqs:SendMessage"}, {"${aws_sqs_queue.this.arn}"}, RULE_SENDS, EVENTBRIDGE),
    },
    ("module.order.module.checkout_subscription", "aws_sqs_queue_policy.delivery_dlq", "policy"): {
        statement(
            "AllowRule", {"sqs:SendMessage"}, {"${aws_sqs_queue.delivery_dlq.arn}"}, RULE_SENDS, EVENTBRIDGE
        ),
    },
    ("module.basket.module.catalogue_subscription", "aws_sqs_queue_policy.this", "policy"): {
        statement("AllowRule", {"sqs:SendMessage"}, {"${aws_sqs_queue.this.arn}"}, RULE_SENDS, EVENTBRIDGE),
    },
    ("module.basket.module.catalogue_subscription", "aws_sqs_queue_policy.delivery_dlq", "policy"): {
        statement(
            "AllowRule", {"sqs:SendMessage"}, {"${aws_sqs_queue.delivery_dlq.arn}"}, RULE_SENDS, EVENTBRIDGE
        ),
    },
    ("module.monitoring", "aws_sns_topic_policy.alarms", "policy"): {
        statement(
            "CloudWatchAlarmsOfThisAccountPublish",
            {"sns:Publish"},
            {"${aws_sns_topic.alarms.arn}"},
            {("StringEquals", "aws:SourceAccount", (ACCOUNT,))},
            CLOUDWATCH,
        ),
    },
    # A key policy's Resource "*" is the key itself; the first statement is AWS's default key
    # policy, which lets the account's IAM policies grant use of the key.
    ("module.monitoring", "aws_kms_key.this", "policy"): {
        statement(
            "AccountAdministersTheKeyThroughIam",
            {"kms:*"},
            {"*"},
            (),
            {("AWS", f"arn:aws:iam::{ACCOUNT}:root")},
        ),
        statement(
            "CloudWatchAlarmsPublishToTheTopic",
            {"kms:Decrypt", "kms:GenerateDataKey*"},
            {"*"},
            {("StringEquals", "kms:EncryptionContext:aws:sns:topicArn", ("${aws_sns_topic.alarms.arn}",))},
            CLOUDWATCH,
        ),
    },
    # Only the owner of a source publishes it (test_bus_policy ties each role to its function).
    ("module.eventing", "aws_cloudwatch_event_bus_policy.this", "policy"): {
        statement(
            f"Only{owner}Publishes{kind}Events",
            {"events:PutEvents"},
            {"${aws_cloudwatch_event_bus.this.arn}"},
            {
                ("StringEquals", "events:source", (source,)),
                ("ArnNotEquals", "aws:PrincipalArn", (f"arn:aws:iam::{ACCOUNT}:role/shop-dev-{role}",)),
            },
            {("*", "*")},
            "Deny",
        )
        for owner, kind, source, role in [
            ("TheBasketFunction", "Basket", EVENT_SOURCE, "basket"),
            ("TheProductPublisher", "Product", PRODUCT_EVENT_SOURCE, "product-publisher"),
        ]
    },
    ("module.eventing", "aws_iam_role.api_gateway_cloudwatch[0]", "assume_role_policy"): {
        statement("", {"sts:AssumeRole"}, set(), (), {("Service", "apigateway.amazonaws.com")}),
    },
}

# Each service's CodeDeploy role (terraform/modules/lambda-deployment; the rendering releases as
# prod does): service -> (its functions' lambda-function module calls, the one behind its API).
# Resolved in module.<service>: the functions' ARNs and their aliases', their errors alarms and the
# API's 5XX rate alarm, nothing else.
RELEASED = {
    "product": (("function", "publisher_function"), "function"),
    "basket": (("function", "catalogue_consumer_function"), "function"),
    "order": (("api_function", "consumer_function"), "api_function"),
}
ALIAS = "aws_lambda_alias.moved_by_codedeploy[0]"


def codedeploy_policy(functions: tuple[str, ...]) -> set:
    return {
        statement(
            "ShiftTheAliases",
            {"lambda:GetAlias", "lambda:UpdateAlias"},
            {f"${{module.{f}.aws_lambda_function.this.arn}}" for f in functions}
            | {f"${{module.{f}.{ALIAS}.arn}}" for f in functions},
        ),
        statement(
            "ReadTheAliasesProvisionedConcurrency",
            {"lambda:GetProvisionedConcurrencyConfig"},
            {f"${{module.{f}.{ALIAS}.arn}}" for f in functions},
        ),
        statement(
            "ReadTheRollbackAlarms",
            {"cloudwatch:DescribeAlarms"},
            {f"${{module.{f}.aws_cloudwatch_metric_alarm.errors.arn}}" for f in functions}
            | {"${module.api.aws_cloudwatch_metric_alarm.server_error_rate.arn}"},
        ),
    }


def codedeploy_trust(service: str, function_names: list[str]) -> set:
    groups = tuple(
        sorted(
            f"arn:aws:codedeploy:us-east-1:{ACCOUNT}:deploymentgroup:shop-dev-{service}/{name}"
            for name in function_names
        )
    )
    return {
        statement(
            "",
            {"sts:AssumeRole"},
            set(),
            {("StringEquals", "aws:SourceAccount", (ACCOUNT,)), ("ArnEquals", "aws:SourceArn", groups)},
            {("Service", "codedeploy.amazonaws.com")},
        )
    }


def deployment_module(service: str) -> str:
    return f"module.{service}.module.deployment[0]"


# The only wildcards in any rendered policy: (module, resource address, Sid).
WILDCARDS = {
    *(
        (f"module.{service}.module.{function}", "aws_iam_role_policy.this", "XRay")
        for service, function in EXPECTED
    ),
    # Deny to every principal ("*") but the source's owner.
    ("module.eventing", "aws_cloudwatch_event_bus_policy.this", "OnlyTheBasketFunctionPublishesBasketEvents"),
    (
        "module.eventing",
        "aws_cloudwatch_event_bus_policy.this",
        "OnlyTheProductPublisherPublishesProductEvents",
    ),
    ("module.monitoring", "aws_kms_key.this", "AccountAdministersTheKeyThroughIam"),
    ("module.monitoring", "aws_kms_key.this", "CloudWatchAlarmsPublishToTheTopic"),
}

POLICY_ATTRIBUTES = ("policy", "assume_role_policy")


def function_modules(rendered: Rendered) -> dict[tuple[str, str], str]:
    """(service, lambda-function call) -> module address, for every function rendered."""
    modules = {}
    for function in rendered.of_type("aws_lambda_function"):
        _, service, _, call = function.module.split(".")
        modules[(service, call)] = function.module
    return modules


def role_policy(rendered: Rendered, module: str) -> str:
    return rendered.resources[f"{module}.aws_iam_role_policy.this"].values["policy"]


def test_every_function_is_listed(rendered):
    assert set(function_modules(rendered)) == set(EXPECTED)


@pytest.mark.parametrize("function", EXPECTED, ids=lambda f: "/".join(f))
def test_each_function_allows_exactly_its_actions_on_its_resources(rendered, function):
    module = function_modules(rendered)[function]
    expected = resolved(rendered, f"module.{function[0]}", EXPECTED[function])
    expected |= resolved(rendered, module, EVERY_FUNCTION)
    assert rendered_statements(role_policy(rendered, module)) == expected


# Each service publishes only events of its own source.
SOURCES = {"basket": EVENT_SOURCE, "product": PRODUCT_EVENT_SOURCE}


@pytest.mark.parametrize("function", EXPECTED, ids=lambda f: "/".join(f))
def test_no_wildcards_but_xrays_and_putevents_only_from_the_services_own_events(rendered, function):
    module = function_modules(rendered)[function]
    for granted in rendered_statements(role_policy(rendered, module)):
        assert granted.effect == "Allow" and not granted.principals, granted
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


def test_each_function_role_has_one_inline_policy_and_nothing_attached(rendered):
    for module in function_modules(rendered).values():
        inside = [r for r in rendered.resources.values() if r.module == module]
        kinds = sorted(r.type for r in inside if r.type.startswith("aws_iam_"))
        assert kinds == [
            "aws_iam_policy_document",
            "aws_iam_policy_document",
            "aws_iam_role",
            "aws_iam_role_policy",
        ]
        assert not rendered.resources[f"{module}.aws_iam_role.this"].values.get("managed_policy_arns")


def test_only_lambda_of_this_account_assumes_a_function_role(rendered):
    for module in function_modules(rendered).values():
        trust = rendered.resources[f"{module}.aws_iam_role.this"].values["assume_role_policy"]
        assert rendered_statements(trust) == {
            statement(
                "",
                {"sts:AssumeRole"},
                set(),
                {("StringEquals", "aws:SourceAccount", (ACCOUNT,))},
                {("Service", "lambda.amazonaws.com")},
            )
        }, module


@pytest.mark.parametrize("policy", EXPECTED_RESOURCE_POLICIES, ids=lambda p: f"{p[0]}.{p[1]}")
def test_each_resource_policy_is_exactly_as_listed(rendered, policy):
    module, address, attribute = policy
    document = rendered.resources[f"{module}.{address}"].values[attribute]
    assert rendered_statements(document) == resolved(rendered, module, EXPECTED_RESOURCE_POLICIES[policy])


def every_policy(rendered: Rendered):
    """(module, resource address in it, document) of every policy that a resource carries."""
    for resource in rendered.resources.values():
        if resource.mode != "managed":
            continue
        for attribute in POLICY_ATTRIBUTES:
            document = resource.values.get(attribute)
            if isinstance(document, str) and document.strip().startswith("{"):
                prefix = f"{resource.module}." if resource.module else ""
                yield resource.module, resource.address.removeprefix(prefix), document


@pytest.mark.parametrize("service", RELEASED)
def test_each_codedeploy_role_may_only_shift_its_services_aliases_on_their_alarms(rendered, service):
    calls, _ = RELEASED[service]
    module = deployment_module(service)
    document = rendered.resources[f"{module}.aws_iam_role_policy.this"].values["policy"]
    assert rendered_statements(document) == resolved(rendered, f"module.{service}", codedeploy_policy(calls))


@pytest.mark.parametrize("service", RELEASED)
def test_only_codedeploy_for_the_services_deployment_groups_assumes_its_role(rendered, service):
    calls, _ = RELEASED[service]
    names = [
        rendered.resources[f"module.{service}.module.{call}.aws_lambda_function.this"].values["function_name"]
        for call in calls
    ]
    role = rendered.resources[f"{deployment_module(service)}.aws_iam_role.this"].values
    assert role["name"] == f"shop-dev-{service}-codedeploy"
    assert rendered_statements(role["assume_role_policy"]) == codedeploy_trust(service, names)


def test_each_codedeploy_role_has_one_inline_policy_and_nothing_attached(rendered):
    for service in RELEASED:
        module = deployment_module(service)
        kinds = sorted(
            r.type
            for r in rendered.resources.values()
            if r.module == module and r.type.startswith("aws_iam_")
        )
        assert kinds == [
            "aws_iam_policy_document",
            "aws_iam_policy_document",
            "aws_iam_role",
            "aws_iam_role_policy",
        ]
        assert not rendered.resources[f"{module}.aws_iam_role.this"].values.get("managed_policy_arns")


def test_every_role_carries_the_environments_permissions_boundary(rendered):
    """The boundary terraform/bootstrap publishes (the rendering reads it from parameters.json):
    the deploy roles may create roles only with it."""
    boundary = json.loads((RENDER / "parameters.json").read_text())["aws_ssm_parameter"][
        "/shop/dev/bootstrap/function-boundary-arn"
    ]
    roles = [r for r in rendered.of_type("aws_iam_role") if r.mode == "managed"]
    assert len(roles) == len(EXPECTED) + len(RELEASED) + 1  # the functions', CodeDeploy's, API Gateway's
    assert {r.address: r.values["permissions_boundary"] for r in roles} == {
        r.address: boundary for r in roles
    }


def test_every_policy_is_listed(rendered):
    """A policy nobody reviewed fails here: list it in EXPECTED, RELEASED or EXPECTED_RESOURCE_POLICIES."""
    functions = {(m, "aws_iam_role_policy.this") for m in function_modules(rendered).values()}
    functions |= {(m, "aws_iam_role.this") for m in function_modules(rendered).values()}
    releases = {
        (deployment_module(s), a) for s in RELEASED for a in ("aws_iam_role_policy.this", "aws_iam_role.this")
    }
    listed_policies = functions | releases | {(m, a) for m, a, _ in EXPECTED_RESOURCE_POLICIES}
    found = {(module, address) for module, address, _ in every_policy(rendered)}
    assert found - listed_policies == set()


def test_no_policy_grants_a_wildcard_but_those_listed(rendered):
    found = set()
    for module, address, document in every_policy(rendered):
        for granted in rendered_statements(document):
            wildcard = (
                any("*" in action for action in granted.actions)
                or "*" in granted.resources
                or any("*" in identifier for _, identifier in granted.principals)
            )
            if wildcard:
                found.add((module, address, granted.sid))
    assert found == WILDCARDS
