output "bus_name" {
  description = "Name of the shared event bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the shared event bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "archive_name" {
  description = "Name of the bus's event archive."
  value       = aws_cloudwatch_event_archive.this.name
}

output "schema_registry_name" {
  description = "Name of the event schema registry."
  value       = aws_schemas_registry.this.name
}

output "schema_names" {
  description = "Names of the registered event schemas."
  value       = sort([for schema in aws_schemas_schema.this : schema.name])
}

output "parameter_names" {
  description = "Names of the SSM parameters that publish the bus and the registry to the services."
  value = {
    bus_name        = aws_ssm_parameter.bus_name.name
    bus_arn         = aws_ssm_parameter.bus_arn.name
    schema_registry = aws_ssm_parameter.schema_registry.name
  }
}

output "api_gateway_cloudwatch_role_arn" {
  description = "ARN of the API Gateway CloudWatch Logs role, or null when manage_api_gateway_account is false."
  value       = one(aws_iam_role.api_gateway_cloudwatch[*].arn)
}

output "api_gateway_account_parameter_name" {
  description = "Name of the account-wide SSM parameter naming the environment that manages API Gateway's account setting, or null when this one does not."
  value       = one(aws_ssm_parameter.api_gateway_account_managed_by[*].name)
}
