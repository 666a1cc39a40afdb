# A REST API built from an OpenAPI document, every operation proxied to one alias of a Lambda
# function, the operations that the document secures guarded by a Cognito user pool authorizer.

# The document with a Lambda proxy integration on every operation and the Cognito authorizer on
# its cognito_user_pools security schemes.
module "body" {
  source = "./modules/openapi-body"

  openapi_spec           = var.openapi_spec
  function_invoke_arn    = var.function_invoke_arn
  cognito_user_pool_arns = var.cognito_user_pool_arns
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description
  body        = module.body.json

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.this.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:Access logs hold request metadata, no secrets; the service-owned key of CloudWatch Logs encrypts them at rest.
  #checkov:skip=CKV_AWS_338:Retention is set per environment by log_retention_days (14 days in dev, 90 in prod).
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
}

# API Gateway writes execution logs to this fixed name; creating it here gives it a retention.
resource "aws_cloudwatch_log_group" "execution" {
  #checkov:skip=CKV_AWS_158:Execution logs at ERROR level hold no secrets; the service-owned key of CloudWatch Logs encrypts them at rest.
  #checkov:skip=CKV_AWS_338:Retention is set per environment by log_retention_days (14 days in dev, 90 in prod).
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Responses are per-user or change on every write; a cache cluster would serve stale data and costs per hour.
  #checkov:skip=CKV2_AWS_29:No WAF web ACL in this design; the stage is throttled by aws_api_gateway_method_settings. Attach a web ACL outside this module if needed.
  #checkov:skip=CKV2_AWS_51:The backend is Lambda through a proxy integration, not an HTTP endpoint that could check a client certificate.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      path               = "$context.path"
      protocol           = "$context.protocol"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationStatus  = "$context.integration.status"
      errorMessage       = "$context.error.message"
      xrayTraceId        = "$context.xrayTraceId"
    })
  }

  depends_on = [aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:Caching is off on purpose: responses are per-user or change on every write, and a cache cluster costs per hour.
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.execution_logging_level
    data_trace_enabled     = false # full request/response bodies would land in the logs
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }
}

# On the alias the integrations invoke (a permission on the function itself would not let API
# Gateway invoke the alias, nor one on the alias the function).
resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFrom-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  qualifier     = var.function_qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}
