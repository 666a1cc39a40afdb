output "api_url" {
  description = "Invoke URL of the order API stage."
  value       = module.api.url
}

output "rest_api_id" {
  description = "ID of the order REST API."
  value       = module.api.rest_api_id
}

output "table_name" {
  description = "Name of the order table (one item per order, keyed on orderId)."
  value       = aws_dynamodb_table.orders.name
}

output "table_arn" {
  description = "ARN of the order table."
  value       = aws_dynamodb_table.orders.arn
}

output "api_function_name" {
  description = "Name of the order API function."
  value       = module.api_function.function_name
}

output "consumer_function_name" {
  description = "Name of the order consumer function."
  value       = module.consumer_function.function_name
}

output "queue_url" {
  description = "URL of the checkout queue."
  value       = module.checkout_subscription.queue_url
}

output "queue_arn" {
  description = "ARN of the checkout queue."
  value       = module.checkout_subscription.queue_arn
}

output "dlq_url" {
  description = "URL of the checkout queue's DLQ (messages the consumer kept failing)."
  value       = module.checkout_subscription.dlq_url
}

output "dlq_arn" {
  description = "ARN of the checkout queue's DLQ."
  value       = module.checkout_subscription.dlq_arn
}

output "delivery_dlq_url" {
  description = "URL of the delivery DLQ (checkout events EventBridge could not deliver)."
  value       = module.checkout_subscription.delivery_dlq_url
}

output "rule_arn" {
  description = "ARN of the rule that routes CheckoutBasket events to the queue."
  value       = module.checkout_subscription.rule_arn
}

output "alarm_names" {
  description = "Names of the order service's alarms (errors and throttles of both functions, API 5XX rate and p99 latency, both DLQs not empty, age of the checkout queue's oldest message)."
  value = concat(
    values(module.api_function.alarm_names),
    values(module.api.alarm_names),
    values(module.consumer_function.alarm_names),
    values(module.checkout_subscription.alarm_names),
  )
}

output "alarm_topic_arn" {
  description = "ARN of the topic the order service's alarms notify."
  value       = local.alarm_actions[0]
}

output "deployments" {
  description = "The functions whose alias CodeDeploy shifts, for `make deploy` (scripts/deploy/traffic.py): function name => {alias, version (the newest published), application, deployment_group}; empty where Terraform moves the aliases."
  value       = merge([for deployment in module.deployment : deployment.deployments]...)
}
