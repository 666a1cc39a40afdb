output "api_url" {
  description = "Invoke URL of the product API stage."
  value       = module.api.url
}

output "rest_api_id" {
  description = "ID of the product REST API."
  value       = module.api.rest_api_id
}

output "table_name" {
  description = "Name of the product table."
  value       = aws_dynamodb_table.product.name
}

output "table_arn" {
  description = "ARN of the product table."
  value       = aws_dynamodb_table.product.arn
}

output "function_name" {
  description = "Name of the product function."
  value       = module.function.function_name
}

output "function_log_group_name" {
  description = "Log group of the product function."
  value       = module.function.log_group_name
}

output "stream_arn" {
  description = "ARN of the product table's stream (the product events' source)."
  value       = aws_dynamodb_table.product.stream_arn
}

output "publisher_function_name" {
  description = "Name of the product publisher (stream -> product events)."
  value       = module.publisher_function.function_name
}

output "events_failed_queue_url" {
  description = "URL of the queue describing stream records the publisher gave up (then run make replay-catalogue)."
  value       = aws_sqs_queue.events_failed.url
}

output "alarm_names" {
  description = "Names of the product service's alarms (errors and throttles of both functions, API 5XX rate and p99 latency, failed product events)."
  value = concat(
    values(module.function.alarm_names),
    values(module.api.alarm_names),
    values(module.publisher_function.alarm_names),
    [aws_cloudwatch_metric_alarm.events_failed_not_empty.alarm_name],
  )
}

output "alarm_topic_arn" {
  description = "ARN of the topic the product service's alarms notify."
  value       = local.alarm_actions[0]
}

output "deployments" {
  description = "The functions whose alias CodeDeploy shifts, for `make deploy` (scripts/deploy/traffic.py): function name => {alias, version (the newest published), application, deployment_group}; empty where Terraform moves the aliases."
  value       = merge([for deployment in module.deployment : deployment.deployments]...)
}
