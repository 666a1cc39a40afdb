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

output "alarm_names" {
  description = "Names of the product service's alarms (function errors and throttles, API 5XX rate and p99 latency)."
  value       = concat(values(module.function.alarm_names), values(module.api.alarm_names))
}

output "alarm_topic_arn" {
  description = "ARN of the topic the product service's alarms notify."
  value       = local.alarm_actions[0]
}
