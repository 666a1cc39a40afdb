output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "Invoke ARN of the unqualified function ($LATEST); integrations use alias_invoke_arn."
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
  description = "Names of the function's alarms: errors and throttles (of its alias)."
  value = {
    errors    = aws_cloudwatch_metric_alarm.errors.alarm_name
    throttles = aws_cloudwatch_metric_alarm.throttles.alarm_name
  }
}

output "environment_variables" {
  description = "Environment variables of the function."
  value       = aws_lambda_function.this.environment[0].variables
}

output "version" {
  description = "The newest version the function published (what the alias serves once moved)."
  value       = aws_lambda_function.this.version
}

output "alias_name" {
  description = "Name of the alias that every caller invokes."
  value       = local.alias.name
}

output "alias_arn" {
  description = "ARN of the alias (<function ARN>:<alias>): what event source mappings and other callers invoke."
  value       = local.alias.arn
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the alias, for an API Gateway integration URI."
  value       = local.alias.invoke_arn
}

output "alias_version_owner" {
  description = "Who moves the alias to a new version: terraform or codedeploy."
  value       = var.alias_version_owner
}

output "deployment_target" {
  description = "The function as a CodeDeploy deployment shifts it (an entry of lambda-deployment's functions): its ARN, its alias, the newest version, and its errors alarm (name => ARN), which rolls a shift back."
  value = {
    function_arn = aws_lambda_function.this.arn
    alias_name   = local.alias.name
    alias_arn    = local.alias.arn
    version      = aws_lambda_function.this.version
    alarms       = { (aws_cloudwatch_metric_alarm.errors.alarm_name) = aws_cloudwatch_metric_alarm.errors.arn }
  }
}

output "alarm_arns" {
  description = "ARNs of the function's alarms: errors and throttles (of its alias)."
  value = {
    errors    = aws_cloudwatch_metric_alarm.errors.arn
    throttles = aws_cloudwatch_metric_alarm.throttles.arn
  }
}
