# CheckoutBasket events: bus -> rule -> queue -> event source mapping -> consumer -> table.

module "checkout_subscription" {
  source = "../eventing/modules/subscription"

  name           = "${local.name}-checkout"
  rule_name      = "${local.name}-checkout-basket"
  event_bus_name = data.aws_ssm_parameter.bus_name.insecure_value
  event_pattern = jsonencode({
    source        = ["shop.basket"]
    "detail-type" = ["CheckoutBasket"]
  })

  consumer_timeout_seconds     = var.consumer_timeout
  max_receive_count            = var.max_receive_count
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
  maximum_retry_attempts       = var.maximum_retry_attempts

  alarm_actions                      = local.alarm_actions
  queue_age_alarm_threshold_seconds  = var.queue_age_alarm_threshold_seconds
  queue_age_alarm_evaluation_periods = var.queue_age_alarm_evaluation_periods
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "WriteOrders"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    sid = "ConsumeCheckoutQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [module.checkout_subscription.queue_arn]
  }
}

module "consumer_function" {
  source = "../lambda-function"

  function_name = "${local.name}-consumer"
  description   = "Creates orders from CheckoutBasket events"
  package_path  = var.package_path
  handler       = "order.consumer.lambda_handler"
  policy_json   = data.aws_iam_policy_document.consumer.json

  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value
  alias_version_owner      = local.alias_version_owner

  memory_size                    = var.memory_size
  timeout                        = var.consumer_timeout
  reserved_concurrent_executions = var.consumer_reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  application_log_level          = var.log_level
  environment_variables          = local.environment_variables

  alarm_actions            = local.alarm_actions
  errors_alarm_threshold   = var.function_errors_alarm_threshold
  alarm_evaluation_periods = var.function_alarm_evaluation_periods
}

resource "aws_lambda_event_source_mapping" "checkout" {
  event_source_arn                   = module.checkout_subscription.queue_arn
  function_name                      = module.consumer_function.alias_arn # the alias: what CodeDeploy shifts
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }
}
