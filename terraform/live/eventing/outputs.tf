output "bus_name" {
  description = "Name of the shared event bus."
  value       = module.eventing.bus_name
}

output "bus_arn" {
  description = "ARN of the shared event bus."
  value       = module.eventing.bus_arn
}

output "schema_registry_name" {
  description = "Name of the event schema registry."
  value       = module.eventing.schema_registry_name
}

output "parameter_names" {
  description = "SSM parameters read by the services."
  value       = module.eventing.parameter_names
}
