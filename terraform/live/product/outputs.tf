output "api_url" {
  description = "Invoke URL of the product API."
  value       = module.product.api_url
}

output "table_name" {
  description = "Name of the product table."
  value       = module.product.table_name
}

output "function_name" {
  description = "Name of the product function."
  value       = module.product.function_name
}

output "alarm_names" {
  description = "Names of the product service's CloudWatch alarms."
  value       = module.product.alarm_names
}

output "deployments" {
  description = "What `make deploy` has CodeDeploy shift (scripts/deploy): function name => {alias, version, application, deployment_group}; empty where Terraform moves the aliases."
  value       = module.product.deployments
}
