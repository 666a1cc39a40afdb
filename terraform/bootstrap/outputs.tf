output "state_bucket" {
  description = "The state bucket, for every root's backend file."
  value       = aws_s3_bucket.state.id
}

output "deploy_role_arns" {
  description = "Deploy role of each environment/component: the pipelines' apply jobs (GitHub environment <env>) assume it."
  value       = { for key, role in aws_iam_role.deploy : key => role.arn }
}

output "plan_role_arns" {
  description = "Read-only plan role of each environment/component: the pipelines' plan jobs (GitHub environment <env>-plan) assume it."
  value       = { for key, role in aws_iam_role.plan : key => role.arn }
}

output "function_boundary_arns" {
  description = "Permissions boundary of each environment, which every role its roots create carries."
  value       = { for env, policy in aws_iam_policy.boundary : env => policy.arn }
}

output "smoke_role_arns" {
  description = "The smoke tests' role of each environment (GitHub environment <env>)."
  value       = { for env, role in aws_iam_role.smoke : env => role.arn }
}
