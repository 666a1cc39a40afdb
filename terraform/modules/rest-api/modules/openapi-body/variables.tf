variable "openapi_spec" {
  description = "Text of the OpenAPI 3 document (YAML or JSON) with the routes; every operation gets a Lambda proxy integration."
  type        = string

  validation {
    condition     = can(keys(yamldecode(var.openapi_spec).paths))
    error_message = "openapi_spec must be an OpenAPI document (YAML or JSON) with a paths object."
  }
}

variable "function_invoke_arn" {
  description = "Invoke ARN of the Lambda function (its alias) that serves every operation: the integrations' URI."
  type        = string
}

variable "cognito_user_pool_arns" {
  description = "ARNs of the Cognito user pools whose ID tokens the document's cognito_user_pools security schemes accept (required when it has one)."
  type        = list(string)
  default     = []
}
