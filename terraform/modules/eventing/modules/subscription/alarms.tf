# Alarms on the three queues (AWS/SQS, QueueName): a message in either DLQ, and a queue whose
# oldest message waits too long. Each notifies alarm_actions when it goes to ALARM and when it
# is back to OK; no data is not a breach.

locals {
  alarm_period_seconds = 300
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name        = "${aws_sqs_queue.dlq.name}-not-empty"
  alarm_description = "${aws_sqs_queue.dlq.name} holds messages the consumer of ${var.name} failed ${var.max_receive_count} times. Read the consumer's logs for the failed message ids to find the cause and fix it, then redrive the DLQ to ${var.name} (SQS console 'Start DLQ redrive', or aws sqs start-message-move-task --source-arn ${aws_sqs_queue.dlq.arn}). The alarm clears when the DLQ is empty."
  namespace         = "AWS/SQS"
  metric_name       = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.dlq.name
  }

  statistic           = "Maximum"
  period              = local.alarm_period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "delivery_dlq_not_empty" {
  alarm_name        = "${aws_sqs_queue.delivery_dlq.name}-not-empty"
  alarm_description = "${aws_sqs_queue.delivery_dlq.name} holds events that rule ${var.rule_name} could not deliver to ${var.name} within its retries: they never reached the consumer. The message attributes ERROR_CODE and ERROR_MESSAGE say why (often the queue policy). Fix it, then send the message bodies (the events as the queue would have received them) to ${var.name} and delete them from the delivery DLQ. The alarm clears when it is empty."
  namespace         = "AWS/SQS"
  metric_name       = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.delivery_dlq.name
  }

  statistic           = "Maximum"
  period              = local.alarm_period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "oldest_message_age" {
  alarm_name        = "${aws_sqs_queue.this.name}-oldest-message-age"
  alarm_description = "The oldest message in ${aws_sqs_queue.this.name} has waited more than ${var.queue_age_alarm_threshold_seconds} s: its consumer is not keeping up or not consuming. Check the consumer's errors and throttles alarms, that its event source mapping is Enabled, and its maximum_concurrency against ApproximateNumberOfMessagesVisible; raise the concurrency or fix the consumer. Messages expire after ${var.message_retention_seconds} s."
  namespace         = "AWS/SQS"
  metric_name       = "ApproximateAgeOfOldestMessage"
  dimensions = {
    QueueName = aws_sqs_queue.this.name
  }

  statistic           = "Maximum"
  period              = local.alarm_period_seconds
  evaluation_periods  = var.queue_age_alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_age_alarm_threshold_seconds
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}
