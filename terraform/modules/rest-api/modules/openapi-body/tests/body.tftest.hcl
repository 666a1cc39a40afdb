# The body module's contract (plain expressions, no provider): the document's own security says
# which operations need a token; its cognito_user_pools schemes get the authorizer, every
# operation the Lambda proxy integration, and a secured document without a user pool is refused.

variables {
  function_invoke_arn    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:things/invocations"
  cognito_user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"]
  openapi_spec           = <<-EOT
    openapi: 3.0.1
    info: {title: things, version: "1"}
    security: [{cognito: []}]
    components:
      securitySchemes:
        cognito: {type: apiKey, in: header, name: Authorization, x-amazon-apigateway-authtype: cognito_user_pools}
        partner: {type: apiKey, in: header, name: X-Partner-Key}
    paths:
      /things:
        summary: things
        get: {security: [], responses: {"200": {description: a page}}}
        put: {responses: {"200": {description: replaced}}}
        post: {security: [{cognito: []}], responses: {"201": {description: made}}}
  EOT
}

run "secured_operations_follow_the_document" {
  assert {
    condition     = output.secured_operations == tolist(["POST /things", "PUT /things"])
    error_message = "An operation is secured by its own security, else the document's: ${jsonencode(output.secured_operations)}"
  }

  assert {
    condition     = tolist(jsondecode(output.json).components.securitySchemes.cognito["x-amazon-apigateway-authorizer"].providerARNs) == var.cognito_user_pool_arns
    error_message = "The cognito_user_pools scheme names the user pools."
  }

  assert {
    condition     = !contains(keys(jsondecode(output.json).components.securitySchemes.partner), "x-amazon-apigateway-authorizer")
    error_message = "Other schemes get no Cognito authorizer."
  }

  assert {
    condition = alltrue([
      for method in ["get", "put", "post"] :
      jsondecode(output.json).paths["/things"][method]["x-amazon-apigateway-integration"].uri == var.function_invoke_arn
    ])
    error_message = "Every operation is proxied to the function."
  }

  assert {
    condition     = jsondecode(output.json).paths["/things"].summary == "things"
    error_message = "Path-level keys that are not operations are kept as they are."
  }
}

run "a_secured_document_without_a_user_pool_is_refused" {
  command = plan

  variables {
    cognito_user_pool_arns = []
  }

  expect_failures = [output.json]
}

run "a_document_without_paths_is_refused" {
  command = plan

  variables {
    openapi_spec = "openapi: 3.0.1"
  }

  expect_failures = [var.openapi_spec]
}
