output "alarm_topic_arn" {
  description = "ARN of the topic that the environment's alarms notify."
  value       = module.monitoring.alarm_topic_arn
}

output "parameter_name" {
  description = "SSM parameter read by the services to find the alarm topic."
  value       = module.monitoring.parameter_name
}

output "dashboard_url" {
  description = "Console URL of the environment's dashboard."
  value       = module.monitoring.dashboard_url
}
