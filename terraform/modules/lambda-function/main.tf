# One Lambda function with its own IAM role and its own log group, publishing a version on every
# change, and the alias that every caller invokes (alias.tf).

data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Function logs hold no secrets; the service-owned key of CloudWatch Logs encrypts them at rest.
  #checkov:skip=CKV_AWS_338:Retention is set per environment by log_retention_days (14 days in dev, 90 in prod); a year of debug logs is not needed.
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  description        = "Execution role of the ${var.function_name} Lambda function"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  # The environment's boundary (terraform/bootstrap): the deploy roles may make roles only with it.
  permissions_boundary = var.permissions_boundary_arn
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = [var.policy_json]

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid = "XRay" # X-Ray has no resource-level permissions; in Lambda the SDK samples locally
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.function_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway or by an event source mapping, where a function DLQ is never used: an SQS queue has its own redrive DLQ, a DynamoDB stream mapping its on-failure destination.
  #checkov:skip=CKV_AWS_117:The function reaches only AWS APIs (DynamoDB, EventBridge, SQS, X-Ray) over IAM-authenticated HTTPS; a VPC would add NAT or endpoints and nothing to protect.
  #checkov:skip=CKV_AWS_173:The environment holds names and log settings, no secrets; Lambda encrypts it at rest with its service key.
  #checkov:skip=CKV_AWS_272:Packages are built reproducibly by `make build` and pinned by source_code_hash; the project has no AWS Signer profile to sign them with.
  function_name = var.function_name
  description   = var.description
  role          = aws_iam_role.this.arn

  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  # Every change of code or configuration is a new immutable version; callers invoke the alias.
  publish       = true
  handler       = var.handler
  runtime       = "python3.13" # what `make build` packages for
  architectures = ["arm64"]    # manylinux2014_aarch64 wheels

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  environment {
    variables = var.environment_variables
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.application_log_level
    system_log_level      = var.system_log_level
  }

  # The role must be able to write logs and traces before the first invocation.
  depends_on = [aws_iam_role_policy.this]
}
