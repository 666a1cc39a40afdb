# What each deploy role may do: only its own component's resources in its own environment, named
# <prefix>-<env>-<component>... (services) or by their fixed names (eventing, monitoring, identity).
# Resources whose ARN holds no name (REST APIs, KMS keys, user pools, API Gateway's execution log
# groups) are scoped by the tags every root gives them (provider default_tags Component and
# Environment): aws:RequestTag when made, aws:ResourceTag after. The plan role of the same
# environment and component gets only the `read` actions and the state lock.
#
# Each entry: sid, read and write actions, resources, and how it is scoped: by = "name" (the
# resources' names), "tag" (read and write need the resource's tags; `create` actions, the
# only ones allowed without them, need the request's tags) or "function" (event source mappings:
# the condition lambda:FunctionArn names the component's functions).

locals {
  partition = data.aws_partition.current.partition
  account   = var.account_id
  region    = var.region

  statements = {
    for key, role in local.roles : key => concat(
      local.common_statements[key],
      local.component_statements[role.component][role.environment],
    )
  }

  common_statements = {
    for key, role in local.roles : key => [
      {
        sid   = "OwnParameters"
        read  = ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"]
        write = ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"]
        resources = [
          "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/${role.environment}/${role.component}/*",
        ]
        by = "name"
      },
      {
        # The environment's shared values (bus, user pool, alarm topic...), read by data sources.
        sid       = "EnvironmentParameters"
        read      = ["ssm:GetParameter", "ssm:GetParameters"]
        write     = []
        resources = ["arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/${role.environment}/*"]
        by        = "name"
      },
      {
        # These reads have no resource-level permissions in IAM.
        sid       = "AccountReads"
        read      = ["ssm:DescribeParameters", "logs:DescribeLogGroups", "cloudwatch:DescribeAlarms", "kms:ListAliases"]
        write     = []
        resources = ["*"]
        by        = "name"
      },
    ]
  }

  component_statements = {
    eventing   = { for env in var.environments : env => local.eventing[env] }
    monitoring = { for env in var.environments : env => local.monitoring[env] }
    identity   = { for env in var.environments : env => local.identity[env] }
    product    = { for env in var.environments : env => local.service["${env}/product"] }
    basket     = { for env in var.environments : env => local.service["${env}/basket"] }
    order      = { for env in var.environments : env => local.service["${env}/order"] }
  }

  # product, basket and order: functions (+ versions, aliases, event source mappings), their roles,
  # log groups and alarms, tables, queues, rules on the bus, the REST API and CodeDeploy.
  service = {
    for key, role in local.roles : key => [
      {
        sid  = "Functions"
        read = ["lambda:Get*", "lambda:List*"]
        write = [
          "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:UpdateFunctionCode",
          "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion", "lambda:AddPermission",
          "lambda:RemovePermission", "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias",
          "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:TagResource",
          "lambda:UntagResource",
        ]
        resources = [
          "arn:${local.partition}:lambda:${local.region}:${local.account}:function:${local.names[key]}*",
          "arn:${local.partition}:lambda:${local.region}:${local.account}:function:${local.names[key]}*:*",
        ]
        by = "name"
      },
      {
        sid   = "EventSourceMappings"
        read  = ["lambda:GetEventSourceMapping", "lambda:ListTags"]
        write = ["lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping", "lambda:TagResource", "lambda:UntagResource"]
        resources = [
          "arn:${local.partition}:lambda:${local.region}:${local.account}:event-source-mapping:*",
        ]
        by = "function"
      },
      local.role_statements[key],
      local.log_statements[key],
      {
        # API Gateway names them API-Gateway-Execution-Logs_<api id>/<stage>: scoped by tag.
        sid       = "ExecutionLogGroups"
        read      = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"]
        write     = ["logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"]
        create    = ["logs:CreateLogGroup"]
        resources = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:API-Gateway-Execution-Logs_*"]
        by        = "tag"
      },
      local.alarm_statements[key],
      {
        sid   = "Tables"
        read  = ["dynamodb:Describe*", "dynamodb:ListTagsOfResource"]
        write = ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive", "dynamodb:TagResource", "dynamodb:UntagResource"]
        resources = [
          "arn:${local.partition}:dynamodb:${local.region}:${local.account}:table/${local.names[key]}*",
        ]
        by = "name"
      },
      {
        sid   = "Queues"
        read  = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"]
        write = ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"]
        resources = [
          "arn:${local.partition}:sqs:${local.region}:${local.account}:${local.names[key]}*",
        ]
        by = "name"
      },
      {
        sid   = "RulesOnTheBus"
        read  = ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"]
        write = ["events:PutRule", "events:DeleteRule", "events:EnableRule", "events:DisableRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"]
        resources = [
          "arn:${local.partition}:events:${local.region}:${local.account}:rule/${var.prefix}-${role.environment}-events/${local.names[key]}*",
        ]
        by = "name"
      },
      {
        sid    = "RestApi"
        read   = ["apigateway:GET"]
        write  = ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"]
        create = ["apigateway:POST"]
        resources = [
          "arn:${local.partition}:apigateway:${local.region}::/restapis",
          "arn:${local.partition}:apigateway:${local.region}::/restapis/*",
          "arn:${local.partition}:apigateway:${local.region}::/tags/*",
        ]
        by = "tag"
      },
      {
        sid  = "CodeDeploy"
        read = ["codedeploy:Get*", "codedeploy:List*"]
        write = [
          "codedeploy:CreateApplication", "codedeploy:DeleteApplication", "codedeploy:UpdateApplication",
          "codedeploy:CreateDeploymentGroup", "codedeploy:DeleteDeploymentGroup", "codedeploy:UpdateDeploymentGroup",
          "codedeploy:CreateDeployment", "codedeploy:RegisterApplicationRevision", "codedeploy:StopDeployment",
          "codedeploy:TagResource", "codedeploy:UntagResource",
        ]
        resources = [
          "arn:${local.partition}:codedeploy:${local.region}:${local.account}:application:${local.names[key]}*",
          "arn:${local.partition}:codedeploy:${local.region}:${local.account}:deploymentgroup:${local.names[key]}*/*",
          "arn:${local.partition}:codedeploy:${local.region}:${local.account}:deploymentconfig:*",
        ]
        by = "name"
      },
    ]
  }

  names = { for key, role in local.roles : key => "${var.prefix}-${role.environment}-${role.component}" }

  # Roles of the component's functions (and of its CodeDeploy deployments). Creating one, or giving
  # it a policy, needs the environment's boundary on it (permissions boundary condition below).
  role_statements = {
    for key, role in local.roles : key => {
      sid       = "Roles"
      read      = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRoleTags"]
      write     = ["iam:DeleteRole", "iam:DeleteRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"]
      resources = ["arn:${local.partition}:iam::${local.account}:role/${local.names[key]}*"]
      by        = "name"
    }
  }

  log_statements = {
    for key, role in local.roles : key => {
      sid   = "LogGroups"
      read  = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"]
      write = ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"]
      resources = [
        "arn:${local.partition}:logs:${local.region}:${local.account}:log-group:/aws/lambda/${local.names[key]}*",
        "arn:${local.partition}:logs:${local.region}:${local.account}:log-group:/aws/apigateway/${local.names[key]}*",
      ]
      by = "name"
    }
  }

  alarm_statements = {
    for key, role in local.roles : key => {
      sid       = "Alarms"
      read      = ["cloudwatch:ListTagsForResource"]
      write     = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
      resources = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:${local.names[key]}*"]
      by        = "name"
    }
  }

  eventing = {
    for env in var.environments : env => [
      {
        sid   = "Bus"
        read  = ["events:DescribeEventBus", "events:ListTagsForResource"]
        write = ["events:CreateEventBus", "events:DeleteEventBus", "events:UpdateEventBus", "events:PutPermission", "events:RemovePermission", "events:TagResource", "events:UntagResource"]
        resources = [
          "arn:${local.partition}:events:${local.region}:${local.account}:event-bus/${var.prefix}-${env}-events",
        ]
        by = "name"
      },
      {
        sid       = "Archive"
        read      = ["events:DescribeArchive"]
        write     = ["events:CreateArchive", "events:DeleteArchive", "events:UpdateArchive"]
        resources = ["arn:${local.partition}:events:${local.region}:${local.account}:archive/${var.prefix}-${env}-events"]
        by        = "name"
      },
      {
        sid   = "SchemaRegistry"
        read  = ["schemas:Describe*", "schemas:List*"]
        write = ["schemas:CreateRegistry", "schemas:UpdateRegistry", "schemas:DeleteRegistry", "schemas:CreateSchema", "schemas:UpdateSchema", "schemas:DeleteSchema", "schemas:DeleteSchemaVersion", "schemas:TagResource", "schemas:UntagResource"]
        resources = [
          "arn:${local.partition}:schemas:${local.region}:${local.account}:registry/${var.prefix}-${env}-events",
          "arn:${local.partition}:schemas:${local.region}:${local.account}:schema/${var.prefix}-${env}-events/*",
        ]
        by = "name"
      },
      {
        sid       = "ApiGatewayLoggingRole"
        read      = ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRoleTags"]
        write     = ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:DetachRolePolicy"]
        resources = ["arn:${local.partition}:iam::${local.account}:role/${var.prefix}-${env}-api-gateway-cloudwatch"]
        by        = "name"
      },
      {
        sid       = "ApiGatewayAccount"
        read      = ["apigateway:GET"]
        write     = ["apigateway:PATCH"]
        resources = ["arn:${local.partition}:apigateway:${local.region}::/account"]
        by        = "name"
      },
      {
        # Which environment of the account manages API Gateway's account setting (one may).
        sid   = "ApiGatewayAccountOwner"
        read  = ["ssm:GetParametersByPath", "ssm:GetParameter", "ssm:ListTagsForResource"]
        write = ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"]
        resources = [
          "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/api-gateway-account",
          "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/api-gateway-account/*",
        ]
        by = "name"
      },
    ]
  }

  monitoring = {
    for env in var.environments : env => [
      {
        sid   = "AlarmTopic"
        read  = ["sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes"]
        write = ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes", "sns:TagResource", "sns:UntagResource"]
        resources = [
          "arn:${local.partition}:sns:${local.region}:${local.account}:${var.prefix}-${env}-alarms",
        ]
        by = "name"
      },
      {
        sid    = "AlarmTopicKey"
        read   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
        create = ["kms:CreateKey"]
        write  = ["kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:UpdateKeyDescription", "kms:TagResource", "kms:UntagResource", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
        resources = [
          "arn:${local.partition}:kms:${local.region}:${local.account}:key/*",
        ]
        by = "tag"
      },
      {
        sid       = "AlarmTopicKeyAlias"
        read      = []
        write     = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
        resources = ["arn:${local.partition}:kms:${local.region}:${local.account}:alias/${var.prefix}-${env}-alarms"]
        by        = "name"
      },
      {
        sid       = "Dashboard"
        read      = ["cloudwatch:GetDashboard"]
        write     = ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"]
        resources = ["arn:${local.partition}:cloudwatch::${local.account}:dashboard/${var.prefix}-${env}"]
        by        = "name"
      },
    ]
  }

  identity = {
    for env in var.environments : env => [
      {
        sid  = "UserPool"
        read = ["cognito-idp:Describe*", "cognito-idp:Get*", "cognito-idp:List*"]
        write = [
          "cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool",
          "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:CreateUserPoolClient", "cognito-idp:UpdateUserPoolClient",
          "cognito-idp:DeleteUserPoolClient", "cognito-idp:CreateGroup", "cognito-idp:UpdateGroup",
          "cognito-idp:DeleteGroup", "cognito-idp:TagResource", "cognito-idp:UntagResource",
        ]
        create    = ["cognito-idp:CreateUserPool"]
        resources = ["arn:${local.partition}:cognito-idp:${local.region}:${local.account}:userpool/*"]
        by        = "tag"
      },
      {
        # The role Cognito sends e-mail through SES with (email_configuration), made once per account.
        sid       = "CognitoEmailRole"
        read      = []
        write     = ["iam:CreateServiceLinkedRole"]
        resources = ["arn:${local.partition}:iam::${local.account}:role/aws-service-role/email.cognito-idp.amazonaws.com/*"]
        by        = "name"
      },
    ]
  }
}
