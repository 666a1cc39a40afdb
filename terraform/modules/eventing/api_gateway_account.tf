# API Gateway needs one CloudWatch Logs role per account and region before any stage can
# write access logs: a singleton, which exactly one root per account and region may manage
# (manage_api_gateway_account = true). Two would overwrite each other's role, and destroying one
# would reset the setting for every API of the account.
#
# The managing root records its environment in an account-wide parameter. Another environment of
# the same account and region that also sets true then fails at plan, naming the one that manages
# it (the data source's postcondition); if both were planned before either applied, the second
# apply fails creating the parameter (SSM names are unique), before it touches the setting.
# The trust policy is the plain one of the AWS logging guide (API Gateway assumes this role for
# every API of the account and region).

locals {
  api_gateway_account_path      = "/${var.prefix}/api-gateway-account"
  api_gateway_account_parameter = "${local.api_gateway_account_path}/managed-by"
}

data "aws_partition" "current" {}

data "aws_ssm_parameters_by_path" "api_gateway_account" {
  count = var.manage_api_gateway_account ? 1 : 0

  path = local.api_gateway_account_path

  lifecycle {
    postcondition {
      condition = alltrue([
        for i, name in self.names : name != local.api_gateway_account_parameter || nonsensitive(self.values[i]) == var.environment
      ])
      error_message = "API Gateway's account setting in this account and region is already managed by another environment's eventing root (SSM parameter ${local.api_gateway_account_parameter} names it). Environments sharing an account and region share that setting: set manage_api_gateway_account = false in this one (environment ${var.environment})."
    }
  }
}

resource "aws_ssm_parameter" "api_gateway_account_managed_by" {
  #checkov:skip=CKV2_AWS_34:The value is an environment name, not a secret; String keeps it readable by data sources without KMS permissions.
  count = var.manage_api_gateway_account ? 1 : 0

  name        = local.api_gateway_account_parameter
  description = "Environment whose eventing root manages API Gateway's account setting (its CloudWatch Logs role) in this account and region"
  type        = "String"
  value       = var.environment
}

data "aws_iam_policy_document" "api_gateway_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

# The environment's permissions boundary, published by terraform/bootstrap: the deploy roles may
# create roles only with it.
data "aws_ssm_parameter" "permissions_boundary_arn" {
  count = var.manage_api_gateway_account ? 1 : 0

  name = "/${var.prefix}/${var.environment}/bootstrap/function-boundary-arn"
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  count = var.manage_api_gateway_account ? 1 : 0

  name                 = "${local.name_prefix}-api-gateway-cloudwatch"
  description          = "Lets API Gateway write access and execution logs to CloudWatch Logs"
  assume_role_policy   = data.aws_iam_policy_document.api_gateway_assume_role.json
  permissions_boundary = data.aws_ssm_parameter.permissions_boundary_arn[0].insecure_value
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  count = var.manage_api_gateway_account ? 1 : 0

  role       = aws_iam_role.api_gateway_cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_api_gateway_account ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch[0].arn

  # The parameter first: a second manager in the account fails there, before changing the setting.
  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch, aws_ssm_parameter.api_gateway_account_managed_by]
}
