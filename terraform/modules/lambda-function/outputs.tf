output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN to use in an API Gateway integration URI."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the function's IAM role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's IAM role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_names" {
  description = "Names of the function's alarms: errors and throttles."
  value = {
    errors    = aws_cloudwatch_metric_alarm.errors.alarm_name
    throttles = aws_cloudwatch_metric_alarm.throttles.alarm_name
  }
}

output "environment_variables" {
  description = "Environment variables of the function."
  value       = aws_lambda_function.this.environment[0].variables
}
