"""Least privilege for the pipelines, read from what Terraform renders (terraform/bootstrap applied
with the stand-in by its own test): each deploy role allows exactly the actions on exactly the
resources listed here, only its own component's in its own environment, and is trusted only by
its repository's jobs in one GitHub environment; each plan role gets the reads of the same
statements and the state's lock, nothing else.
"""

import json

import pytest

from scripts.deploy.components import SERVICES
from tests.terraform.policies import Statement, rendered_statements, statement

ACCOUNT, REGION = "123456789012", "us-east-1"
BUCKET = "arn:aws:s3:::shop-terraform-state-123456789012"
REPOSITORY = "example-org/serverless-shop"
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
ENVIRONMENTS = ("dev", "prod")
COMPONENTS = ("eventing", "monitoring", "identity", *SERVICES)
BOUNDARY = "arn:aws:iam::123456789012:policy/shop-deploy/shop-{env}-function-boundary"
READ_VERBS = ("Get", "List", "Describe")


def arn(service: str, rest: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{rest}"


def tagged(component: str, env: str, request: bool = False) -> set:
    key = "aws:RequestTag" if request else "aws:ResourceTag"
    return {
        ("StringEquals", f"{key}/Component", (component,)),
        ("StringEquals", f"{key}/Environment", (env,)),
    }


def common(env: str, component: str) -> set[Statement]:
    return {
        statement(
            "StateList", {"s3:ListBucket"}, {BUCKET}, {("StringLike", "s3:prefix", (f"{env}/{component}/*",))}
        ),
        statement(
            "State", {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, {f"{BUCKET}/{env}/{component}/*"}
        ),
        statement(
            "OwnParameters",
            {
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:ListTagsForResource",
                "ssm:PutParameter",
                "ssm:DeleteParameter",
                "ssm:AddTagsToResource",
                "ssm:RemoveTagsFromResource",
            },
            {arn("ssm", f"parameter/shop/{env}/{component}/*")},
        ),
        statement(
            "EnvironmentParameters",
            {"ssm:GetParameter", "ssm:GetParameters"},
            {arn("ssm", f"parameter/shop/{env}/*")},
        ),
        statement(
            "AccountReads",
            {
                "ssm:DescribeParameters",
                "logs:DescribeLogGroups",
                "cloudwatch:DescribeAlarms",
                "kms:ListAliases",
            },
            {"*"},
        ),
        statement(
            "KeepTheBoundary",
            {
                "iam:DeleteRolePermissionsBoundary",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:SetDefaultPolicyVersion",
            },
            {"*"},
            effect="Deny",
        ),
    }


def own_roles(env: str, roles: str, services: set[str]) -> set[Statement]:
    """Making the component's roles, only with the environment's boundary, and passing them."""
    return {
        statement(
            "RolesWithinTheBoundary",
            {"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"},
            {roles},
            {("StringEquals", "iam:PermissionsBoundary", (BOUNDARY.format(env=env),))},
        ),
        statement(
            "PassOwnRoles",
            {"iam:PassRole"},
            {roles},
            {("StringEquals", "iam:PassedToService", tuple(sorted(services)))},
        ),
    }


def service(env: str, component: str) -> set[Statement]:
    name = f"shop-{env}-{component}"
    return own_roles(
        env, f"arn:aws:iam::{ACCOUNT}:role/{name}*", {"lambda.amazonaws.com", "codedeploy.amazonaws.com"}
    ) | {
        statement(
            "Functions",
            {
                "lambda:Get*",
                "lambda:List*",
                "lambda:CreateFunction",
                "lambda:DeleteFunction",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
                "lambda:PublishVersion",
                "lambda:AddPermission",
                "lambda:RemovePermission",
                "lambda:CreateAlias",
                "lambda:UpdateAlias",
                "lambda:DeleteAlias",
                "lambda:PutFunctionConcurrency",
                "lambda:DeleteFunctionConcurrency",
                "lambda:TagResource",
                "lambda:UntagResource",
            },
            {arn("lambda", f"function:{name}*"), arn("lambda", f"function:{name}*:*")},
        ),
        statement(
            "EventSourceMappings",
            {
                "lambda:GetEventSourceMapping",
                "lambda:ListTags",
                "lambda:CreateEventSourceMapping",
                "lambda:UpdateEventSourceMapping",
                "lambda:DeleteEventSourceMapping",
                "lambda:TagResource",
                "lambda:UntagResource",
            },
            {arn("lambda", "event-source-mapping:*")},
            {("ArnLike", "lambda:FunctionArn", (arn("lambda", f"function:{name}*"),))},
        ),
        statement(
            "Roles",
            {
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRoleTags",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
            },
            {f"arn:aws:iam::{ACCOUNT}:role/{name}*"},
        ),
        statement(
            "LogGroups",
            {
                "logs:ListTagsForResource",
                "logs:ListTagsLogGroup",
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:TagLogGroup",
                "logs:UntagLogGroup",
            },
            {
                arn("logs", f"log-group:/aws/lambda/{name}*"),
                arn("logs", f"log-group:/aws/apigateway/{name}*"),
            },
        ),
        statement(
            "ExecutionLogGroups",
            {
                "logs:ListTagsForResource",
                "logs:ListTagsLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:TagLogGroup",
                "logs:UntagLogGroup",
            },
            {arn("logs", "log-group:API-Gateway-Execution-Logs_*")},
            tagged(component, env),
        ),
        statement(
            "ExecutionLogGroupsCreate",
            {"logs:CreateLogGroup"},
            {arn("logs", "log-group:API-Gateway-Execution-Logs_*")},
            tagged(component, env, request=True),
        ),
        statement(
            "Alarms",
            {
                "cloudwatch:ListTagsForResource",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
            },
            {arn("cloudwatch", f"alarm:{name}*")},
        ),
        statement(
            "Tables",
            {
                "dynamodb:Describe*",
                "dynamodb:ListTagsOfResource",
                "dynamodb:CreateTable",
                "dynamodb:DeleteTable",
                "dynamodb:UpdateTable",
                "dynamodb:UpdateContinuousBackups",
                "dynamodb:UpdateTimeToLive",
                "dynamodb:TagResource",
                "dynamodb:UntagResource",
            },
            {arn("dynamodb", f"table/{name}*")},
        ),
        statement(
            "Queues",
            {
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ListQueueTags",
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:SetQueueAttributes",
                "sqs:TagQueue",
                "sqs:UntagQueue",
            },
            {arn("sqs", f"{name}*")},
        ),
        statement(
            "RulesOnTheBus",
            {
                "events:DescribeRule",
                "events:ListTargetsByRule",
                "events:ListTagsForResource",
                "events:PutRule",
                "events:DeleteRule",
                "events:EnableRule",
                "events:DisableRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "events:TagResource",
                "events:UntagResource",
            },
            {arn("events", f"rule/shop-{env}-events/{name}*")},
        ),
        statement(
            "RestApi",
            {"apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"},
            {
                f"arn:aws:apigateway:{REGION}::/restapis",
                f"arn:aws:apigateway:{REGION}::/restapis/*",
                f"arn:aws:apigateway:{REGION}::/tags/*",
            },
            tagged(component, env),
        ),
        statement(
            "RestApiCreate",
            {"apigateway:POST"},
            {
                f"arn:aws:apigateway:{REGION}::/restapis",
                f"arn:aws:apigateway:{REGION}::/restapis/*",
                f"arn:aws:apigateway:{REGION}::/tags/*",
            },
            tagged(component, env, request=True),
        ),
        statement(
            "CodeDeploy",
            {
                "codedeploy:Get*",
                "codedeploy:List*",
                "codedeploy:CreateApplication",
                "codedeploy:DeleteApplication",
                "codedeploy:UpdateApplication",
                "codedeploy:CreateDeploymentGroup",
                "codedeploy:DeleteDeploymentGroup",
                "codedeploy:UpdateDeploymentGroup",
                "codedeploy:CreateDeployment",
                "codedeploy:RegisterApplicationRevision",
                "codedeploy:StopDeployment",
                "codedeploy:TagResource",
                "codedeploy:UntagResource",
            },
            {
                arn("codedeploy", f"application:{name}*"),
                arn("codedeploy", f"deploymentgroup:{name}*/*"),
                arn("codedeploy", "deploymentconfig:*"),
            },
        ),
    }


def eventing(env: str) -> set[Statement]:
    logging_role = f"arn:aws:iam::{ACCOUNT}:role/shop-{env}-api-gateway-cloudwatch"
    return own_roles(env, logging_role, {"apigateway.amazonaws.com"}) | {
        statement(
            "Bus",
            {
                "events:DescribeEventBus",
                "events:ListTagsForResource",
                "events:CreateEventBus",
                "events:DeleteEventBus",
                "events:UpdateEventBus",
                "events:PutPermission",
                "events:RemovePermission",
                "events:TagResource",
                "events:UntagResource",
            },
            {arn("events", f"event-bus/shop-{env}-events")},
        ),
        statement(
            "Archive",
            {
                "events:DescribeArchive",
                "events:CreateArchive",
                "events:DeleteArchive",
                "events:UpdateArchive",
            },
            {arn("events", f"archive/shop-{env}-events")},
        ),
        statement(
            "SchemaRegistry",
            {
                "schemas:Describe*",
                "schemas:List*",
                "schemas:CreateRegistry",
                "schemas:UpdateRegistry",
                "schemas:DeleteRegistry",
                "schemas:CreateSchema",
                "schemas:UpdateSchema",
                "schemas:DeleteSchema",
                "schemas:DeleteSchemaVersion",
                "schemas:TagResource",
                "schemas:UntagResource",
            },
            {arn("schemas", f"registry/shop-{env}-events"), arn("schemas", f"schema/shop-{env}-events/*")},
        ),
        statement(
            "ApiGatewayLoggingRole",
            {
                "iam:GetRole",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRoleTags",
                "iam:DeleteRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:DetachRolePolicy",
            },
            {logging_role},
        ),
        statement(
            "ApiGatewayAccount",
            {"apigateway:GET", "apigateway:PATCH"},
            {f"arn:aws:apigateway:{REGION}::/account"},
        ),
        statement(
            "ApiGatewayAccountOwner",
            {
                "ssm:GetParametersByPath",
                "ssm:GetParameter",
                "ssm:ListTagsForResource",
                "ssm:PutParameter",
                "ssm:DeleteParameter",
                "ssm:AddTagsToResource",
                "ssm:RemoveTagsFromResource",
            },
            {
                arn("ssm", "parameter/shop/api-gateway-account"),
                arn("ssm", "parameter/shop/api-gateway-account/*"),
            },
        ),
    }


def monitoring(env: str) -> set[Statement]:
    keys = {arn("kms", "key/*")}
    return {
        statement(
            "AlarmTopic",
            {
                "sns:GetTopicAttributes",
                "sns:ListTagsForResource",
                "sns:ListSubscriptionsByTopic",
                "sns:GetSubscriptionAttributes",
                "sns:CreateTopic",
                "sns:DeleteTopic",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:Unsubscribe",
                "sns:SetSubscriptionAttributes",
                "sns:TagResource",
                "sns:UntagResource",
            },
            {arn("sns", f"shop-{env}-alarms")},
        ),
        statement(
            "AlarmTopicKey",
            {
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:ListResourceTags",
                "kms:PutKeyPolicy",
                "kms:EnableKeyRotation",
                "kms:ScheduleKeyDeletion",
                "kms:UpdateKeyDescription",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:CreateAlias",
                "kms:DeleteAlias",
                "kms:UpdateAlias",
            },
            keys,
            tagged("monitoring", env),
        ),
        statement("AlarmTopicKeyCreate", {"kms:CreateKey"}, keys, tagged("monitoring", env, request=True)),
        statement(
            "AlarmTopicKeyAlias",
            {"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
            {arn("kms", f"alias/shop-{env}-alarms")},
        ),
        statement(
            "Dashboard",
            {"cloudwatch:GetDashboard", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"},
            {f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/shop-{env}"},
        ),
    }


def identity(env: str) -> set[Statement]:
    pools = {arn("cognito-idp", "userpool/*")}
    return {
        statement(
            "UserPool",
            {
                "cognito-idp:Describe*",
                "cognito-idp:Get*",
                "cognito-idp:List*",
                "cognito-idp:UpdateUserPool",
                "cognito-idp:DeleteUserPool",
                "cognito-idp:SetUserPoolMfaConfig",
                "cognito-idp:CreateUserPoolClient",
                "cognito-idp:UpdateUserPoolClient",
                "cognito-idp:DeleteUserPoolClient",
                "cognito-idp:CreateGroup",
                "cognito-idp:UpdateGroup",
                "cognito-idp:DeleteGroup",
                "cognito-idp:TagResource",
                "cognito-idp:UntagResource",
            },
            pools,
            tagged("identity", env),
        ),
        statement(
            "UserPoolCreate", {"cognito-idp:CreateUserPool"}, pools, tagged("identity", env, request=True)
        ),
        statement(
            "CognitoEmailRole",
            {"iam:CreateServiceLinkedRole"},
            {f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/email.cognito-idp.amazonaws.com/*"},
        ),
    }


def expected_deploy(env: str, component: str) -> set[Statement]:
    specific = {"eventing": eventing, "monitoring": monitoring, "identity": identity}
    own = specific[component](env) if component in specific else service(env, component)
    return common(env, component) | own


def policy(bootstrap, kind: str, key: str) -> set[Statement]:
    return rendered_statements(bootstrap.resources[f'aws_iam_role_policy.{kind}["{key}"]'].values["policy"])


def trust(bootstrap, address: str) -> set[Statement]:
    return rendered_statements(bootstrap.resources[address].values["assume_role_policy"])


def web_identity(subject: str) -> set[Statement]:
    return {
        statement(
            "",
            {"sts:AssumeRoleWithWebIdentity"},
            set(),
            {
                ("StringEquals", "token.actions.githubusercontent.com:aud", ("sts.amazonaws.com",)),
                (
                    "StringEquals",
                    "token.actions.githubusercontent.com:sub",
                    (f"repo:{REPOSITORY}:{subject}",),
                ),
            },
            {("Federated", OIDC)},
        )
    }


ROLES = [(env, component) for env in ENVIRONMENTS for component in COMPONENTS]


def test_every_environment_and_component_has_its_two_roles(bootstrap):
    for kind in ("deploy", "plan"):
        found = {
            r.address
            for r in bootstrap.of_type("aws_iam_role")
            if r.address.startswith(f"aws_iam_role.{kind}[")
        }
        assert found == {f'aws_iam_role.{kind}["{env}/{component}"]' for env, component in ROLES}


@pytest.mark.parametrize(("env", "component"), ROLES, ids="/".join)
def test_each_deploy_role_allows_exactly_its_components_resources(bootstrap, env, component):
    assert policy(bootstrap, "deploy", f"{env}/{component}") == expected_deploy(env, component)


@pytest.mark.parametrize(("env", "component"), ROLES, ids="/".join)
def test_each_plan_role_reads_what_its_deploy_role_may_change_and_takes_the_lock(bootstrap, env, component):
    deploy = {
        s.sid: s
        for s in expected_deploy(env, component)
        if s.effect == "Allow" and not s.sid.endswith("Create")
    }
    reads = set()
    for granted in deploy.values():
        readable = {a for a in granted.actions if a.split(":")[1].startswith(READ_VERBS)} | (
            {"apigateway:GET"} & granted.actions
        )
        if granted.sid not in ("State", "StateList", "RolesWithinTheBoundary", "PassOwnRoles") and readable:
            reads.add(statement(granted.sid, readable, granted.resources, granted.conditions))
    state = f"{BUCKET}/{env}/{component}/*"
    reads |= {
        statement(
            "StateList", {"s3:ListBucket"}, {BUCKET}, {("StringLike", "s3:prefix", (f"{env}/{component}/*",))}
        ),
        statement("StateRead", {"s3:GetObject"}, {state}),
        statement("StateLock", {"s3:PutObject", "s3:DeleteObject"}, {f"{state}.tflock"}),
    }
    assert policy(bootstrap, "plan", f"{env}/{component}") == reads


@pytest.mark.parametrize(("env", "component"), ROLES, ids="/".join)
def test_a_role_is_assumed_only_by_the_repositorys_jobs_in_its_github_environment(bootstrap, env, component):
    key = f"{env}/{component}"
    assert trust(bootstrap, f'aws_iam_role.deploy["{key}"]') == web_identity(f"environment:{env}")
    assert trust(bootstrap, f'aws_iam_role.plan["{key}"]') == web_identity(f"environment:{env}-plan")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_smoke_role_makes_users_in_its_environments_pool_and_reads_its_parameters(bootstrap, env):
    assert trust(bootstrap, f'aws_iam_role.smoke["{env}"]') == web_identity(f"environment:{env}")
    assert policy(bootstrap, "smoke", env) == {
        statement(
            "EnvironmentParameters",
            {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"},
            {arn("ssm", f"parameter/shop/{env}/*")},
        ),
        statement(
            "SmokeUsers",
            {
                "cognito-idp:AdminCreateUser",
                "cognito-idp:AdminSetUserPassword",
                "cognito-idp:AdminAddUserToGroup",
                "cognito-idp:AdminGetUser",
                "cognito-idp:AdminDeleteUser",
            },
            {arn("cognito-idp", "userpool/*")},
            tagged("identity", env),
        ),
    }


def test_no_role_names_another_environment(bootstrap):
    for resource in bootstrap.of_type("aws_iam_role_policy"):
        env = resource.address.split('["')[1].split("/")[0].rstrip('"]')
        other = next(e for e in ENVIRONMENTS if e != env)
        assert f"-{other}-" not in resource.values["policy"] and f"/{other}/" not in resource.values["policy"]


def test_policies_fit_iams_limit_on_a_roles_inline_policies(bootstrap):
    """10,240 characters, whitespace not counted, for all of a role's inline policies together."""
    for resource in bootstrap.of_type("aws_iam_role_policy"):
        compact = json.dumps(json.loads(resource.values["policy"]), separators=(",", ":"))
        assert len(compact) < 10_240, resource.address


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_boundary_keeps_created_roles_in_their_environment(bootstrap, env):
    boundary = rendered_statements(bootstrap.resources[f'aws_iam_policy.boundary["{env}"]'].values["policy"])
    for granted in boundary:
        for resource in granted.resources - {"*"}:
            assert f"shop-{env}-" in resource or f"/shop/{env}/" in resource, (granted.sid, resource)
        if "*" in granted.resources:
            assert all(a.split(":")[0] in {"xray", "cloudwatch", "logs"} for a in granted.actions), granted
    parameter = bootstrap.resources[f'aws_ssm_parameter.boundary_arn["{env}"]'].values
    assert parameter["name"] == f"/shop/{env}/bootstrap/function-boundary-arn"
