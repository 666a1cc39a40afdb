output "user_pool_id" {
  description = "Id of the user pool."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "ARN of the user pool (the providerARNs of the APIs' authorizers)."
  value       = aws_cognito_user_pool.this.arn
}

output "user_pool_endpoint" {
  description = "Endpoint of the user pool: the issuer (iss) of its tokens, without https://."
  value       = aws_cognito_user_pool.this.endpoint
}

output "user_pool_client_id" {
  description = "Id of the app client that shop clients sign in with."
  value       = aws_cognito_user_pool_client.shop.id
}

output "admin_group_name" {
  description = "Name of the administrators' group."
  value       = aws_cognito_user_group.admin.name
}

output "parameter_names" {
  description = "Names of the SSM parameters that publish the user pool to the services."
  value = {
    user_pool_id        = aws_ssm_parameter.user_pool_id.name
    user_pool_arn       = aws_ssm_parameter.user_pool_arn.name
    user_pool_client_id = aws_ssm_parameter.user_pool_client_id.name
    admin_group         = aws_ssm_parameter.admin_group.name
  }
}
