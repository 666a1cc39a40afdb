output "alarm_topic_arn" {
  description = "ARN of the SNS topic that every alarm of the environment notifies."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_topic_name" {
  description = "Name of the alarm topic."
  value       = aws_sns_topic.alarms.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the alarm topic."
  value       = aws_kms_key.this.arn
}

output "parameter_name" {
  description = "Name of the SSM parameter through which the services find the alarm topic."
  value       = aws_ssm_parameter.alarm_topic_arn.name
}

output "email_subscription_arns" {
  description = "ARNs of the email subscriptions by address (\"pending confirmation\" until the address confirms)."
  value       = { for address, subscription in aws_sns_topic_subscription.email : address => subscription.arn }
}

output "dashboard_name" {
  description = "Name of the environment's CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "Console URL of the environment's CloudWatch dashboard."
  value       = "${local.console}/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}
