# The rest-api module's contract: the Cognito authorizer on every secured operation and on no
# other, a Lambda proxy integration on every operation, a stage with X-Ray tracing and access
# logs, a new deployment whenever the body changes, and API Gateway allowed to invoke the function's
# alias, which every integration names.
# The AWS provider is mocked: no cloud, no account.

mock_provider "aws" {}

variables {
  name                   = "shop-test-product"
  stage_name             = "test"
  function_name          = "shop-test-product"
  function_qualifier     = "live"
  function_invoke_arn    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-test-product:live/invocations"
  cognito_user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"]
  log_retention_days     = 14
  alarm_actions          = ["arn:aws:sns:us-east-1:123456789012:shop-test-alarms"]
  openapi_spec           = <<-EOT
    openapi: 3.0.1
    info: {title: things, version: "1"}
    components:
      securitySchemes:
        cognito: {type: apiKey, in: header, name: Authorization, x-amazon-apigateway-authtype: cognito_user_pools}
    paths:
      /things:
        get: {security: [], responses: {"200": {description: a page}}}
        post: {security: [{cognito: []}], responses: {"201": {description: made}}}
      /things/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get: {security: [], responses: {"200": {description: one}}}
        delete: {security: [{cognito: []}], responses: {"204": {description: gone}}}
  EOT
}

override_resource {
  target = aws_api_gateway_rest_api.this
  values = {
    id            = "a1b2c3d4e5"
    execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
  }
}

override_resource {
  target = aws_cloudwatch_log_group.access
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/shop-test-product/access" }
}

run "authorizer" {
  assert {
    condition     = output.secured_operations == tolist(["DELETE /things/{id}", "POST /things"])
    error_message = "The secured operations are those whose security names a scheme: ${jsonencode(output.secured_operations)}"
  }

  assert {
    condition = alltrue([
      for operation in output.secured_operations :
      jsondecode(aws_api_gateway_rest_api.this.body).paths[split(" ", operation)[1]][lower(split(" ", operation)[0])].security == [{ cognito = [] }]
    ])
    error_message = "Every secured operation names the cognito scheme."
  }

  assert {
    condition = jsondecode(aws_api_gateway_rest_api.this.body).components.securitySchemes.cognito["x-amazon-apigateway-authorizer"] == {
      type         = "cognito_user_pools"
      providerARNs = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"]
    }
    error_message = "The cognito scheme carries the authorizer naming the user pool."
  }

  assert {
    condition = alltrue(flatten([
      for path, item in jsondecode(aws_api_gateway_rest_api.this.body).paths : [
        for method, operation in item : operation["x-amazon-apigateway-integration"] == {
          type                = "aws_proxy"
          httpMethod          = "POST"
          uri                 = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-test-product:live/invocations"
          passthroughBehavior = "when_no_match"
        } if method != "parameters"
      ]
    ]))
    error_message = "Every operation is proxied to the function's alias (its invoke ARN)."
  }

  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.this.body).paths["/things/{id}"].parameters[0].name == "id"
    error_message = "Path-level keys that are not operations are kept."
  }
}

run "stage" {
  assert {
    condition     = aws_api_gateway_stage.this.xray_tracing_enabled && aws_api_gateway_stage.this.stage_name == "test"
    error_message = "The stage traces with X-Ray."
  }

  assert {
    condition     = aws_api_gateway_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access.arn && aws_cloudwatch_log_group.access.name == "/aws/apigateway/shop-test-product/access"
    error_message = "Access logs go to the API's own access log group."
  }

  assert {
    condition = alltrue([
      for field in ["requestId", "status", "integrationStatus", "errorMessage", "xrayTraceId", "responseLatency"] :
      contains(keys(jsondecode(aws_api_gateway_stage.this.access_log_settings[0].format)), field)
    ])
    error_message = "Each access log line is JSON with the request id, status, error, latency and trace id."
  }

  assert {
    condition     = aws_cloudwatch_log_group.execution.name == "API-Gateway-Execution-Logs_a1b2c3d4e5/test" && aws_cloudwatch_log_group.execution.retention_in_days == 14
    error_message = "The execution log group that API Gateway writes to is made here, with a retention."
  }

  assert {
    condition = (
      aws_api_gateway_method_settings.all.method_path == "*/*"
      && aws_api_gateway_method_settings.all.settings[0].logging_level == "ERROR"
      && aws_api_gateway_method_settings.all.settings[0].metrics_enabled
      && !aws_api_gateway_method_settings.all.settings[0].data_trace_enabled
    )
    error_message = "Every method logs errors and metrics, never bodies."
  }

  assert {
    condition = (
      aws_lambda_permission.api_gateway.statement_id == "AllowInvokeFrom-shop-test-product"
      && aws_lambda_permission.api_gateway.principal == "apigateway.amazonaws.com"
      && aws_lambda_permission.api_gateway.function_name == "shop-test-product"
      && aws_lambda_permission.api_gateway.qualifier == "live"
      && aws_lambda_permission.api_gateway.source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/*"
    )
    error_message = "Only this API may invoke the function, through the alias the integrations name (a qualified permission)."
  }

  assert {
    condition = output.integration == {
      function_name = "shop-test-product"
      qualifier     = "live"
      uris          = tolist([var.function_invoke_arn])
    }
    error_message = "The output says what the API invokes: ${jsonencode(output.integration)}"
  }

  assert {
    condition = alltrue([
      for alarm in [aws_cloudwatch_metric_alarm.server_error_rate, aws_cloudwatch_metric_alarm.latency_p99] :
      alarm.dimensions == tomap({ ApiName = "shop-test-product", Stage = "test" })
      && alarm.alarm_actions == toset(var.alarm_actions) && alarm.ok_actions == toset(var.alarm_actions)
    ])
    error_message = "Both alarms watch this stage and notify on ALARM and OK."
  }

  assert {
    condition     = output.alarm_names.server_error_rate == "shop-test-product-5xx-rate" && output.alarm_arns.server_error_rate == aws_cloudwatch_metric_alarm.server_error_rate.arn
    error_message = "The 5XX rate alarm's name and ARN are outputs (a CodeDeploy deployment group rolls back on it)."
  }
}

# The body of the document above, made by the body module alone.
run "body" {
  module {
    source = "./modules/openapi-body"
  }
}

run "deployment_follows_the_body" {
  assert {
    condition     = aws_api_gateway_rest_api.this.body == run.body.json
    error_message = "The API's body is the body module's."
  }

  assert {
    condition     = aws_api_gateway_deployment.this.triggers.redeployment == sha1(run.body.json) && aws_api_gateway_stage.this.deployment_id == aws_api_gateway_deployment.this.id
    error_message = "The stage serves a deployment whose trigger is the body's hash."
  }
}

run "a_changed_body_is_a_new_deployment" {
  variables {
    openapi_spec = replace(var.openapi_spec, "/things/{id}:", "/things/{id}/parts:")
  }

  assert {
    condition     = contains(keys(jsondecode(aws_api_gateway_rest_api.this.body).paths), "/things/{id}/parts")
    error_message = "The body follows the document."
  }

  assert {
    condition     = aws_api_gateway_deployment.this.triggers.redeployment == sha1(aws_api_gateway_rest_api.this.body) && aws_api_gateway_deployment.this.triggers.redeployment != sha1(run.body.json)
    error_message = "A changed body changes the trigger, which replaces the deployment (before destroying the old one)."
  }
}

# The name is the invoke permission's statement id too (AllowInvokeFrom-<name>): Lambda takes at
# most 100 letters, digits, hyphens, underscores and dots.
run "a_name_lambda_refuses_as_a_statement_id_fails_at_plan" {
  command = plan

  variables {
    name = "shop test/product"
  }

  expect_failures = [var.name]
}

run "a_name_too_long_for_a_statement_id_fails_at_plan" {
  command = plan

  variables {
    name = join("", [for i in range(85) : "a"])
  }

  expect_failures = [var.name]
}

run "the_longest_name_fits" {
  command = plan

  variables {
    name = join("", [for i in range(84) : "a"])
  }

  assert {
    condition     = length(aws_lambda_permission.api_gateway.statement_id) == 100
    error_message = "An 84-character name gives a 100-character statement id."
  }
}

run "an_unqualified_integration_fails_at_plan" {
  command = plan

  variables {
    function_qualifier = "$LATEST"
  }

  expect_failures = [var.function_qualifier]
}

run "the_url_is_published_only_when_a_parameter_is_named" {
  command = plan

  assert {
    condition     = length(aws_ssm_parameter.url) == 0
    error_message = "Without url_parameter_name, no parameter."
  }
}

run "the_url_is_published_under_the_named_parameter" {
  command = plan

  variables {
    url_parameter_name = "/shop/test/product/api-url"
  }

  assert {
    condition     = aws_ssm_parameter.url[0].name == "/shop/test/product/api-url" && aws_ssm_parameter.url[0].type == "String"
    error_message = "The stage's URL is published as a String parameter under the name given."
  }
}

run "a_parameter_name_that_is_no_path_fails_at_plan" {
  command = plan

  variables {
    url_parameter_name = "product-api-url"
  }

  expect_failures = [var.url_parameter_name]
}
