# GET /order, GET /order/{userName} and GET /order/{userName}/{orderId}: reads only.

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "ReadOrders"
    actions   = ["dynamodb:GetItem", "dynamodb:Scan"]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    sid       = "ListUserOrders"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.orders.arn}/index/${local.user_index}"]
  }
}

module "api_function" {
  source = "../lambda-function"

  function_name = "${local.name}-api"
  description   = "Order API"
  package_path  = var.package_path
  handler       = "order.handler.lambda_handler"
  policy_json   = data.aws_iam_policy_document.api.json

  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value
  alias_version_owner      = local.alias_version_owner

  memory_size                    = var.memory_size
  timeout                        = var.api_timeout
  reserved_concurrent_executions = var.api_reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  application_log_level          = var.log_level
  environment_variables          = local.api_environment_variables

  alarm_actions            = local.alarm_actions
  errors_alarm_threshold   = var.function_errors_alarm_threshold
  alarm_evaluation_periods = var.function_alarm_evaluation_periods
}

module "api" {
  source = "../rest-api"

  name                   = local.name
  description            = "Order API"
  stage_name             = var.environment
  openapi_spec           = var.openapi_spec
  function_name          = module.api_function.function_name
  function_qualifier     = module.api_function.alias_name
  function_invoke_arn    = module.api_function.alias_invoke_arn
  cognito_user_pool_arns = [data.aws_ssm_parameter.user_pool_arn.insecure_value]
  throttling_burst_limit = var.throttling_burst_limit
  throttling_rate_limit  = var.throttling_rate_limit
  log_retention_days     = var.log_retention_days
  url_parameter_name     = "/${var.prefix}/${var.environment}/order/api-url"

  alarm_actions                     = local.alarm_actions
  server_error_rate_alarm_threshold = var.api_server_error_rate_alarm_threshold
  latency_p99_alarm_threshold_ms    = var.api_latency_p99_alarm_threshold_ms
  alarm_evaluation_periods          = var.api_alarm_evaluation_periods
}
