output "json" {
  description = "The body of the REST API (JSON): the document with the integrations and the authorizers."
  value       = jsonencode(local.body)

  precondition {
    condition     = length(local.cognito_schemes) == 0 || length(var.cognito_user_pool_arns) > 0
    error_message = "The OpenAPI document secures operations with a cognito_user_pools scheme: cognito_user_pool_arns must name the user pool."
  }
}

output "secured_operations" {
  description = "\"METHOD /path\" of every operation whose security (or the document's) names a scheme, sorted."
  value = sort(flatten([
    for path, item in local.spec.paths : [
      for method, operation in item : "${upper(method)} ${path}"
      if contains(local.http_methods, method) && length(flatten([
        for requirement in try(operation.security, local.spec.security, []) : keys(requirement)
      ])) > 0
    ]
  ]))
}
