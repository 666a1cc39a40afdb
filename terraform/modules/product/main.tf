# The product service: its table, its function and its REST API; the table's stream feeds the
# publisher of the product events (publisher.tf).

locals {
  name            = "${var.prefix}-${var.environment}-product"
  category_index  = "category-index"
  catalogue_index = "catalogue-index"
  alarm_actions   = [coalesce(var.alarm_topic_arn, one(data.aws_ssm_parameter.alarm_topic_arn[*].insecure_value))]
}

# The environment's alarm topic: given, or published by the monitoring root.
data "aws_ssm_parameter" "alarm_topic_arn" {
  count = var.alarm_topic_arn == null ? 1 : 0

  name = "/${var.prefix}/${var.environment}/monitoring/alarm-topic-arn"
}

# The environment's permissions boundary, published by terraform/bootstrap: every role this module
# makes carries it (the deploy roles may create roles only with it).
data "aws_ssm_parameter" "permissions_boundary_arn" {
  name = "/${var.prefix}/${var.environment}/bootstrap/function-boundary-arn"
}

# The shop's user pool and its admin group, published by the identity root.
data "aws_ssm_parameter" "user_pool_arn" {
  name = "/${var.prefix}/${var.environment}/identity/user-pool-arn"
}

data "aws_ssm_parameter" "admin_group" {
  name = "/${var.prefix}/${var.environment}/identity/admin-group"
}

resource "aws_dynamodb_table" "product" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (server_side_encryption); no cross-account access or key policy needs a customer managed key.
  name                        = local.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "category"
    type = "S"
  }

  attribute {
    name = "name"
    type = "S"
  }

  # The same value on every product: the whole catalogue in name order is a Query, not a Scan.
  attribute {
    name = "catalogue"
    type = "S"
  }

  global_secondary_index {
    name            = local.category_index
    hash_key        = "category"
    range_key       = "name"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = local.catalogue_index
    hash_key        = "catalogue"
    range_key       = "name"
    projection_type = "ALL"
  }

  # Every committed write, in order per product: the source of the product events (publisher.tf).
  # The old image is what a REMOVE needs to say which version was deleted.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

data "aws_iam_policy_document" "function" {
  statement {
    sid = "ProductTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.product.arn]
  }

  statement {
    sid     = "ListingIndexes"
    actions = ["dynamodb:Query"]
    resources = [
      "${aws_dynamodb_table.product.arn}/index/${local.category_index}",
      "${aws_dynamodb_table.product.arn}/index/${local.catalogue_index}",
    ]
  }
}

module "function" {
  source = "../lambda-function"

  function_name = local.name
  description   = "Product API"
  package_path  = var.package_path
  handler       = "product.handler.lambda_handler"
  policy_json   = data.aws_iam_policy_document.function.json

  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value
  alias_version_owner      = local.alias_version_owner

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  application_log_level          = var.log_level

  environment_variables = {
    TABLE_NAME                   = aws_dynamodb_table.product.name
    POWERTOOLS_SERVICE_NAME      = "product"
    POWERTOOLS_METRICS_NAMESPACE = "${var.prefix}-${var.environment}"
    POWERTOOLS_LOG_LEVEL         = var.log_level
    ADMIN_GROUP                  = data.aws_ssm_parameter.admin_group.insecure_value
  }

  alarm_actions            = local.alarm_actions
  errors_alarm_threshold   = var.function_errors_alarm_threshold
  alarm_evaluation_periods = var.function_alarm_evaluation_periods
}

module "api" {
  source = "../rest-api"

  name                   = local.name
  description            = "Product API"
  stage_name             = var.environment
  openapi_spec           = var.openapi_spec
  function_name          = module.function.function_name
  function_qualifier     = module.function.alias_name
  function_invoke_arn    = module.function.alias_invoke_arn
  cognito_user_pool_arns = [data.aws_ssm_parameter.user_pool_arn.insecure_value]
  throttling_burst_limit = var.throttling_burst_limit
  throttling_rate_limit  = var.throttling_rate_limit
  log_retention_days     = var.log_retention_days
  url_parameter_name     = "/${var.prefix}/${var.environment}/product/api-url"

  alarm_actions                     = local.alarm_actions
  server_error_rate_alarm_threshold = var.api_server_error_rate_alarm_threshold
  latency_p99_alarm_threshold_ms    = var.api_latency_p99_alarm_threshold_ms
  alarm_evaluation_periods          = var.api_alarm_evaluation_periods
}
