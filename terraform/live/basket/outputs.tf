output "api_url" {
  description = "Invoke URL of the basket API."
  value       = module.basket.api_url
}

output "table_name" {
  description = "Name of the basket table."
  value       = module.basket.table_name
}

output "function_name" {
  description = "Name of the basket function."
  value       = module.basket.function_name
}

output "alarm_names" {
  description = "Names of the basket service's CloudWatch alarms."
  value       = module.basket.alarm_names
}

output "deployments" {
  description = "What `make deploy` has CodeDeploy shift (scripts/deploy): function name => {alias, version, application, deployment_group}; empty where Terraform moves the aliases."
  value       = module.basket.deployments
}
