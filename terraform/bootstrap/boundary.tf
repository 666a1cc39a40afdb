# The environment's permissions boundary: the most that any role a deploy role creates (function
# roles, the CodeDeploy role, API Gateway's logging role) may ever do, whatever policy it is given.
# It keeps each role inside its own environment's resources, so a deploy role that writes a
# function's policy cannot use it to reach beyond the environment. Published for the roots as the
# SSM parameter /<prefix>/<env>/bootstrap/function-boundary-arn.

data "aws_iam_policy_document" "boundary" {
  #checkov:skip=CKV_AWS_111:A permissions boundary grants nothing; it caps the roles it is attached to. Logs and X-Ray writes need Resource "*" (API Gateway's account-wide logging role, X-Ray's lack of resource-level permissions).
  #checkov:skip=CKV_AWS_356:A permissions boundary grants nothing; Resource "*" here only for actions that have no resource-level permissions.
  for_each = var.environments

  statement {
    sid = "Tables"
    actions = [
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
      "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
    ]
    resources = ["arn:${local.partition}:dynamodb:${local.region}:${local.account}:table/${var.prefix}-${each.key}-*"]
  }

  statement {
    sid       = "Bus"
    actions   = ["events:PutEvents"]
    resources = ["arn:${local.partition}:events:${local.region}:${local.account}:event-bus/${var.prefix}-${each.key}-events"]
  }

  statement {
    sid = "Queues"
    actions = [
      "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = ["arn:${local.partition}:sqs:${local.region}:${local.account}:${var.prefix}-${each.key}-*"]
  }

  statement {
    sid       = "Parameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/${each.key}/*"]
  }

  # CodeDeploy shifting an alias of the environment's functions, and running its hooks.
  statement {
    sid       = "Aliases"
    actions   = ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:GetFunction", "lambda:GetProvisionedConcurrencyConfig", "lambda:InvokeFunction"]
    resources = ["arn:${local.partition}:lambda:${local.region}:${local.account}:function:${var.prefix}-${each.key}-*"]
  }

  statement {
    sid       = "Notify"
    actions   = ["sns:Publish"]
    resources = ["arn:${local.partition}:sns:${local.region}:${local.account}:${var.prefix}-${each.key}-*"]
  }

  # No resource-level permissions: X-Ray; CloudWatch alarm reads (CodeDeploy's rollback check);
  # logs (API Gateway's logging role writes to log groups it names itself, account-wide).
  statement {
    sid = "NoResourceLevel"
    actions = [
      "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
      "cloudwatch:DescribeAlarms",
      "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
      "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "boundary" {
  for_each = var.environments

  name        = "${var.prefix}-${each.key}-function-boundary"
  path        = local.role_path
  description = "Permissions boundary of every role the ${each.key} deploy roles create"
  policy      = data.aws_iam_policy_document.boundary[each.key].json
}

resource "aws_ssm_parameter" "boundary_arn" {
  #checkov:skip=CKV2_AWS_34:The value is a policy ARN, not a secret; String keeps it readable by data sources without KMS permissions.
  for_each = var.environments

  name        = "/${var.prefix}/${each.key}/bootstrap/function-boundary-arn"
  description = "ARN of the permissions boundary every role of ${each.key} must carry"
  type        = "String"
  value       = aws_iam_policy.boundary[each.key].arn
}
