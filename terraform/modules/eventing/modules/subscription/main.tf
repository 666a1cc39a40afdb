# A rule on the bus delivering matching events to an SQS queue, with two dead-letter queues:
# <name>-dlq for messages the consumer keeps failing (SQS redrive) and <name>-delivery-dlq for
# events EventBridge could not deliver to the queue.

resource "aws_cloudwatch_event_rule" "this" {
  name           = var.rule_name
  description    = "Delivers matching events of ${var.event_bus_name} to ${var.name}"
  event_bus_name = var.event_bus_name
  event_pattern  = var.event_pattern
  state          = "ENABLED"
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = var.event_bus_name
  target_id      = "sqs-${var.name}"
  arn            = aws_sqs_queue.this.arn

  dead_letter_config {
    arn = aws_sqs_queue.delivery_dlq.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
    maximum_retry_attempts       = var.maximum_retry_attempts
  }

  # EventBridge must be allowed to send before the first delivery.
  depends_on = [aws_sqs_queue_policy.this, aws_sqs_queue_policy.delivery_dlq]
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  sqs_managed_sse_enabled    = true
  visibility_timeout_seconds = 6 * var.consumer_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = var.dlq_message_retention_seconds
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

resource "aws_sqs_queue" "delivery_dlq" {
  name                      = "${var.name}-delivery-dlq"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = var.dlq_message_retention_seconds
}

# Only this rule may send, to the queue and to the delivery DLQ.
data "aws_iam_policy_document" "send_from_rule" {
  for_each = {
    queue        = aws_sqs_queue.this.arn
    delivery_dlq = aws_sqs_queue.delivery_dlq.arn
  }

  statement {
    sid       = "AllowRule"
    actions   = ["sqs:SendMessage"]
    resources = [each.value]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.this.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.send_from_rule["queue"].json
}

resource "aws_sqs_queue_policy" "delivery_dlq" {
  queue_url = aws_sqs_queue.delivery_dlq.id
  policy    = data.aws_iam_policy_document.send_from_rule["delivery_dlq"].json
}
