output "environment" {
  description = "The environment this state belongs to."
  value       = terraform_data.environment.output
}
