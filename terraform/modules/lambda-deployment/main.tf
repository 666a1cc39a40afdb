# One service's releases through CodeDeploy: an application, one deployment group per function
# (a canary or linear shift of its alias, rolled back when one of its alarms fires or the
# deployment fails or is stopped), and the role CodeDeploy works with, allowed only the service's
# aliases and those alarms. `make deploy` (scripts/deploy/traffic.py) creates the deployments,
# from the `deployments` output.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  group_arn_prefix = "arn:${data.aws_partition.current.partition}:codedeploy:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:deploymentgroup:${aws_codedeploy_app.this.name}"
}

resource "aws_codedeploy_app" "this" {
  name             = var.application_name
  compute_platform = "Lambda"
}

# Only CodeDeploy, working for this application's deployment groups in this account.
data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for name in keys(var.functions) : "${local.group_arn_prefix}/${name}"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.application_name}-codedeploy"
  description          = "Lets CodeDeploy shift the aliases of ${var.application_name}'s functions and read their alarms"
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  permissions_boundary = var.permissions_boundary_arn
}

# What AWSCodeDeployRoleForLambda grants on "*", narrowed to these aliases and alarms; no hooks
# (lambda:InvokeFunction) and no triggers (sns:Publish) are configured.
data "aws_iam_policy_document" "this" {
  # Lambda authorizes alias actions on the function's ARN or the alias's, as the caller names the
  # function: both, of these functions only.
  statement {
    sid       = "ShiftTheAliases"
    actions   = ["lambda:GetAlias", "lambda:UpdateAlias"]
    resources = flatten([for function in values(var.functions) : [function.function_arn, function.alias_arn]])
  }

  # CodeDeploy checks that a version with provisioned concurrency is ready before shifting to it.
  statement {
    sid       = "ReadTheAliasesProvisionedConcurrency"
    actions   = ["lambda:GetProvisionedConcurrencyConfig"]
    resources = [for function in values(var.functions) : function.alias_arn]
  }

  statement {
    sid       = "ReadTheRollbackAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = sort(distinct(flatten([for function in values(var.functions) : values(function.alarms)])))
  }
}

resource "aws_iam_role_policy" "this" {
  name   = aws_iam_role.this.name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_codedeploy_deployment_group" "this" {
  for_each = var.functions

  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = each.key
  service_role_arn       = aws_iam_role.this.arn
  deployment_config_name = var.deployment_config_name

  # The only style of a Lambda deployment: the alias's weights move from one version to the other.
  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  # Back to the version served before: on a failure, on an alarm, and when someone stops the
  # deployment (make deploy stops the service's other shifts when one fails).
  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]
  }

  alarm_configuration {
    enabled = true
    alarms  = sort(keys(each.value.alarms))
    # An alarm CodeDeploy cannot read stops the deployment rather than being ignored.
    ignore_poll_alarm_failure = false
  }

  # The role must be able to move the alias before the first deployment.
  depends_on = [aws_iam_role_policy.this]
}
