output "user_pool_id" {
  description = "Id of the user pool."
  value       = module.identity.user_pool_id
}

output "user_pool_client_id" {
  description = "Id of the app client that shop clients sign in with."
  value       = module.identity.user_pool_client_id
}

output "admin_group_name" {
  description = "Name of the administrators' group."
  value       = module.identity.admin_group_name
}

output "parameter_names" {
  description = "SSM parameters read by the services."
  value       = module.identity.parameter_names
}
