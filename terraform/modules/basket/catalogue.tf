# The catalogue replica: the basket service's copy of the products' names and prices, fed by its
# own subscription to the product events: bus -> rule -> queue -> event source mapping ->
# consumer -> replica table (services/basket/basket/replica_consumer.py). No service reads
# another's table.

locals {
  catalogue_name = "${local.name}-catalogue"
}

resource "aws_dynamodb_table" "catalogue" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (server_side_encryption); no cross-account access or key policy needs a customer managed key.
  name                        = local.catalogue_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "productId"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "productId"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

module "catalogue_subscription" {
  source = "../eventing/modules/subscription"

  name           = local.catalogue_name
  rule_name      = "${local.catalogue_name}-product"
  event_bus_name = data.aws_ssm_parameter.bus_name.insecure_value
  event_pattern = jsonencode({
    source        = ["shop.product"]
    "detail-type" = ["ProductChanged", "ProductDeleted"]
  })

  consumer_timeout_seconds = var.catalogue_consumer_timeout
  max_receive_count        = var.catalogue_max_receive_count

  alarm_actions                     = local.alarm_actions
  queue_age_alarm_threshold_seconds = var.catalogue_queue_age_alarm_threshold_seconds
}

data "aws_iam_policy_document" "catalogue_consumer" {
  statement {
    sid       = "WriteCatalogueReplica"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.catalogue.arn]
  }

  statement {
    sid = "ConsumeCatalogueQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [module.catalogue_subscription.queue_arn]
  }
}

module "catalogue_consumer_function" {
  source = "../lambda-function"

  function_name = "${local.catalogue_name}-consumer"
  description   = "Applies product events to the basket's catalogue replica"
  package_path  = var.package_path
  handler       = "basket.replica_consumer.lambda_handler"
  policy_json   = data.aws_iam_policy_document.catalogue_consumer.json

  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value
  alias_version_owner      = local.alias_version_owner

  memory_size                    = var.memory_size
  timeout                        = var.catalogue_consumer_timeout
  reserved_concurrent_executions = var.catalogue_consumer_reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  application_log_level          = var.log_level

  environment_variables = {
    CATALOGUE_TABLE_NAME         = aws_dynamodb_table.catalogue.name
    POWERTOOLS_SERVICE_NAME      = "basket"
    POWERTOOLS_METRICS_NAMESPACE = "${var.prefix}-${var.environment}"
    POWERTOOLS_LOG_LEVEL         = var.log_level
  }

  alarm_actions            = local.alarm_actions
  errors_alarm_threshold   = var.function_errors_alarm_threshold
  alarm_evaluation_periods = var.function_alarm_evaluation_periods
}

resource "aws_lambda_event_source_mapping" "catalogue" {
  event_source_arn                   = module.catalogue_subscription.queue_arn
  function_name                      = module.catalogue_consumer_function.alias_arn # the alias: what CodeDeploy shifts
  batch_size                         = 10
  maximum_batching_window_in_seconds = 0
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = 2
  }
}
