output "url" {
  description = "Invoke URL of the stage (https://<id>.execute-api.<region>.amazonaws.com/<stage>)."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "api_name" {
  description = "Name of the REST API."
  value       = aws_api_gateway_rest_api.this.name
}

output "secured_operations" {
  description = "\"METHOD /path\" of the operations that need an ID token (the others are public), sorted."
  value       = module.body.secured_operations
}

output "execution_arn" {
  description = "Execution ARN of the REST API (for further Lambda permissions)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "access_log_group_name" {
  description = "Name of the stage's access log group."
  value       = aws_cloudwatch_log_group.access.name
}

output "alarm_names" {
  description = "Names of the API's alarms: 5XX rate and p99 latency."
  value = {
    server_error_rate = aws_cloudwatch_metric_alarm.server_error_rate.alarm_name
    latency_p99       = aws_cloudwatch_metric_alarm.latency_p99.alarm_name
  }
}
