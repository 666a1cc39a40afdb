output "api_url" {
  description = "Invoke URL of the basket API stage."
  value       = module.api.url
}

output "rest_api_id" {
  description = "ID of the basket REST API."
  value       = module.api.rest_api_id
}

output "table_name" {
  description = "Name of the basket table."
  value       = aws_dynamodb_table.basket.name
}

output "table_arn" {
  description = "ARN of the basket table."
  value       = aws_dynamodb_table.basket.arn
}

output "function_name" {
  description = "Name of the basket function."
  value       = module.function.function_name
}

output "function_log_group_name" {
  description = "Log group of the basket function."
  value       = module.function.log_group_name
}

output "event_bus_name" {
  description = "Name of the bus that checkout publishes to (read from SSM)."
  value       = data.aws_ssm_parameter.bus_name.insecure_value
}

output "catalogue_table_name" {
  description = "Name of the catalogue replica table (products' names and prices, fed by the product events)."
  value       = aws_dynamodb_table.catalogue.name
}

output "catalogue_consumer_function_name" {
  description = "Name of the catalogue replica's consumer."
  value       = module.catalogue_consumer_function.function_name
}

output "catalogue_queue_url" {
  description = "URL of the queue of product events for the replica."
  value       = module.catalogue_subscription.queue_url
}

output "catalogue_dlq_url" {
  description = "URL of the catalogue queue's DLQ (product events the consumer kept failing)."
  value       = module.catalogue_subscription.dlq_url
}

output "alarm_names" {
  description = "Names of the basket service's alarms (errors and throttles of both functions, API 5XX rate and p99 latency, the catalogue queue's DLQs and age)."
  value = concat(
    values(module.function.alarm_names),
    values(module.api.alarm_names),
    values(module.catalogue_consumer_function.alarm_names),
    values(module.catalogue_subscription.alarm_names),
  )
}

output "alarm_topic_arn" {
  description = "ARN of the topic the basket service's alarms notify."
  value       = local.alarm_actions[0]
}

output "deployments" {
  description = "The functions whose alias CodeDeploy shifts, for `make deploy` (scripts/deploy/traffic.py): function name => {alias, version (the newest published), application, deployment_group}; empty where Terraform moves the aliases."
  value       = merge([for deployment in module.deployment : deployment.deployments]...)
}
