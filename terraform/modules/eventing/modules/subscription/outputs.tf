output "queue_url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.url
}

output "queue_arn" {
  description = "ARN of the queue (the event source of the consumer)."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "dlq_url" {
  description = "URL of the redrive DLQ (messages the consumer kept failing)."
  value       = aws_sqs_queue.dlq.url
}

output "dlq_arn" {
  description = "ARN of the redrive DLQ."
  value       = aws_sqs_queue.dlq.arn
}

output "delivery_dlq_url" {
  description = "URL of the delivery DLQ (events EventBridge could not deliver to the queue)."
  value       = aws_sqs_queue.delivery_dlq.url
}

output "delivery_dlq_arn" {
  description = "ARN of the delivery DLQ."
  value       = aws_sqs_queue.delivery_dlq.arn
}

output "rule_arn" {
  description = "ARN of the EventBridge rule."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "rule_name" {
  description = "Name of the EventBridge rule."
  value       = aws_cloudwatch_event_rule.this.name
}

output "alarm_names" {
  description = "Names of the subscription's alarms: DLQ not empty, delivery DLQ not empty, age of the queue's oldest message."
  value = {
    dlq_not_empty          = aws_cloudwatch_metric_alarm.dlq_not_empty.alarm_name
    delivery_dlq_not_empty = aws_cloudwatch_metric_alarm.delivery_dlq_not_empty.alarm_name
    oldest_message_age     = aws_cloudwatch_metric_alarm.oldest_message_age.alarm_name
  }
}
