# The REST API's body: the OpenAPI document with API Gateway's extensions added. Plain
# expressions, no provider: tests/terraform evaluates it with `terraform apply` offline.

locals {
  spec         = yamldecode(var.openapi_spec)
  http_methods = ["get", "put", "post", "delete", "patch"]

  integration = {
    type                = "aws_proxy"
    httpMethod          = "POST"
    uri                 = var.function_invoke_arn
    passthroughBehavior = "when_no_match"
  }

  # The document's security schemes; those of type cognito_user_pools get the authorizer that
  # names the user pools. Which operations need a token stays the document's word (`security`).
  schemes         = try(local.spec.components.securitySchemes, {})
  cognito_schemes = [for name, scheme in local.schemes : name if try(scheme["x-amazon-apigateway-authtype"], "") == "cognito_user_pools"]
  authorizer = {
    type         = "cognito_user_pools"
    providerARNs = var.cognito_user_pool_arns
  }

  # Path-level keys that are not operations (parameters, summary...) are kept as they are.
  body = merge(local.spec, {
    paths = {
      for path, item in local.spec.paths : path => merge(item, {
        for method, operation in item : method => merge(operation, {
          "x-amazon-apigateway-integration" = local.integration
        }) if contains(local.http_methods, method)
      })
    }
    components = merge(try(local.spec.components, {}), {
      securitySchemes = merge(local.schemes, {
        for name in local.cognito_schemes : name => merge(local.schemes[name], {
          "x-amazon-apigateway-authorizer" = local.authorizer
        })
      })
    })
  })
}
