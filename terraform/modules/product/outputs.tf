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
