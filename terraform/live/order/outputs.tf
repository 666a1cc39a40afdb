output "api_url" {
  description = "Invoke URL of the order API."
  value       = module.order.api_url
}

output "table_name" {
  description = "Name of the order table."
  value       = module.order.table_name
}

output "queue_url" {
  description = "URL of the checkout queue."
  value       = module.order.queue_url
}

output "dlq_url" {
  description = "URL of the checkout queue's DLQ."
  value       = module.order.dlq_url
}

output "delivery_dlq_url" {
  description = "URL of the checkout rule's delivery DLQ."
  value       = module.order.delivery_dlq_url
}

output "alarm_names" {
  description = "Names of the order service's CloudWatch alarms."
  value       = module.order.alarm_names
}

output "deployments" {
  description = "What `make deploy` has CodeDeploy shift (scripts/deploy): function name => {alias, version, application, deployment_group}; empty where Terraform moves the aliases."
  value       = module.order.deployments
}
