output "application_name" {
  description = "Name of the CodeDeploy application."
  value       = aws_codedeploy_app.this.name
}

output "deployment_group_names" {
  description = "Deployment group of each function (function name => group name)."
  value       = { for name, group in aws_codedeploy_deployment_group.this : name => group.deployment_group_name }
}

output "role_name" {
  description = "Name of the role CodeDeploy works with."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the role CodeDeploy works with."
  value       = aws_iam_role.this.arn
}

output "deployments" {
  description = "What `make deploy` shifts (scripts/deploy/traffic.py): function name => {alias, version (the newest published), application, deployment_group}."
  value = {
    for name, function in var.functions : name => {
      alias            = function.alias_name
      version          = function.version
      application      = aws_codedeploy_app.this.name
      deployment_group = aws_codedeploy_deployment_group.this[name].deployment_group_name
    }
  }
}

output "rollback_alarms" {
  description = "The alarms that roll each function's shift back (function name => alarm names)."
  value       = { for name, group in aws_codedeploy_deployment_group.this : name => sort(group.alarm_configuration[0].alarms) }
}
