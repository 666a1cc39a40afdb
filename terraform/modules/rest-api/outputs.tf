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

output "alarm_arns" {
  description = "ARNs of the API's alarms: 5XX rate and p99 latency."
  value = {
    server_error_rate = aws_cloudwatch_metric_alarm.server_error_rate.arn
    latency_p99       = aws_cloudwatch_metric_alarm.latency_p99.arn
  }
}

output "integration" {
  description = "What the API invokes: the function and the alias that API Gateway may invoke (the permission's qualifier), and the URIs of the body's integrations (that alias's invoke ARN)."
  value = {
    function_name = aws_lambda_permission.api_gateway.function_name
    qualifier     = aws_lambda_permission.api_gateway.qualifier
    uris = sort(distinct(flatten([
      for path, item in jsondecode(aws_api_gateway_rest_api.this.body).paths : [
        for method, operation in item : operation["x-amazon-apigateway-integration"].uri
        if contains(["get", "put", "post", "delete", "patch"], method)
      ]
    ])))
  }
}
