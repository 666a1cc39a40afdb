# The product events without dual writes: table stream -> event source mapping -> publisher ->
# ProductChanged / ProductDeleted on the shared bus (services/product/product/stream.py).
# Records given up (after the retries, or too old) are described in the on-failure queue, whose
# alarm asks for a replay of the catalogue.

locals {
  publisher_name = "${local.name}-publisher"
  event_source   = "shop.product"
}

data "aws_ssm_parameter" "bus_name" {
  name = "/${var.prefix}/${var.environment}/eventing/bus-name"
}

data "aws_ssm_parameter" "bus_arn" {
  name = "/${var.prefix}/${var.environment}/eventing/bus-arn"
}

resource "aws_sqs_queue" "events_failed" {
  name                      = "${local.name}-events-failed"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600 # 14 days, the longest SQS keeps a message
}

resource "aws_cloudwatch_metric_alarm" "events_failed_not_empty" {
  alarm_name        = "${aws_sqs_queue.events_failed.name}-not-empty"
  alarm_description = "${aws_sqs_queue.events_failed.name} describes product table stream records that ${local.publisher_name} failed to publish within its retries or before they were too old: replicas of the catalogue (the basket's) may miss those changes. Read the publisher's logs for the reason and fix it, then run `make replay-catalogue` (python -m scripts.replay_catalogue ${aws_dynamodb_table.product.name}), which republishes every product at its current version; then delete the messages. The alarm clears when the queue is empty."
  namespace         = "AWS/SQS"
  metric_name       = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.events_failed.name
  }

  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

data "aws_iam_policy_document" "publisher" {
  statement {
    sid = "ReadProductStream"
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]
    resources = [aws_dynamodb_table.product.stream_arn]
  }

  statement {
    sid       = "PublishProductEvents"
    actions   = ["events:PutEvents"]
    resources = [data.aws_ssm_parameter.bus_arn.insecure_value]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = [local.event_source]
    }
  }

  # The mapping's on-failure destination is sent to with the function's role.
  statement {
    sid       = "DescribeFailedRecords"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events_failed.arn]
  }
}

module "publisher_function" {
  source = "../lambda-function"

  function_name = local.publisher_name
  description   = "Publishes product events from the product table's stream"
  package_path  = var.package_path
  handler       = "product.stream.lambda_handler"
  policy_json   = data.aws_iam_policy_document.publisher.json

  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value
  alias_version_owner      = local.alias_version_owner

  memory_size                    = var.memory_size
  timeout                        = var.publisher_timeout
  reserved_concurrent_executions = var.publisher_reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  application_log_level          = var.log_level

  environment_variables = {
    EVENT_BUS_NAME               = data.aws_ssm_parameter.bus_name.insecure_value
    POWERTOOLS_SERVICE_NAME      = "product"
    POWERTOOLS_METRICS_NAMESPACE = "${var.prefix}-${var.environment}"
    POWERTOOLS_LOG_LEVEL         = var.log_level
  }

  alarm_actions            = local.alarm_actions
  errors_alarm_threshold   = var.function_errors_alarm_threshold
  alarm_evaluation_periods = var.function_alarm_evaluation_periods
}

resource "aws_lambda_event_source_mapping" "stream" {
  event_source_arn                   = aws_dynamodb_table.product.stream_arn
  function_name                      = module.publisher_function.alias_arn # the alias: what CodeDeploy shifts
  starting_position                  = "TRIM_HORIZON"                      # nothing written since the stream began is skipped
  batch_size                         = var.publisher_batch_size
  maximum_batching_window_in_seconds = 0
  parallelization_factor             = 1 # one batch per shard at a time: a product's writes in order
  function_response_types            = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.publisher_maximum_retry_attempts
  maximum_record_age_in_seconds      = var.publisher_maximum_record_age_in_seconds

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.events_failed.arn
    }
  }
}
