variable "name" {
  description = "Name of the REST API (overrides the OpenAPI document's info.title)."
  type        = string
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = ""
}

variable "stage_name" {
  description = "Name of the stage (the environment name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name may hold only letters, digits, hyphens and underscores."
  }
}

variable "openapi_spec" {
  description = "Text of the OpenAPI 3 document (YAML or JSON) with the routes; every operation gets a Lambda proxy integration."
  type        = string

  validation {
    condition     = can(keys(yamldecode(var.openapi_spec).paths))
    error_message = "openapi_spec must be an OpenAPI document (YAML or JSON) with a paths object."
  }
}

variable "function_name" {
  description = "Name of the Lambda function that serves every operation (API Gateway is allowed to invoke it)."
  type        = string
}

variable "function_invoke_arn" {
  description = "Invoke ARN of that Lambda function."
  type        = string
}

variable "throttling_burst_limit" {
  description = "Stage-wide throttling burst limit (requests)."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_burst_limit >= 0 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number >= 0."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide throttling steady-state rate limit (requests per second)."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_rate_limit >= 0
    error_message = "throttling_rate_limit must be >= 0."
  }
}

variable "execution_logging_level" {
  description = "Level of API Gateway execution logs (OFF, ERROR or INFO), written to a log group this module creates with retention."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.execution_logging_level)
    error_message = "execution_logging_level must be OFF, ERROR or INFO."
  }
}

variable "log_retention_days" {
  description = "Retention of the access and execution log groups, in days (a value CloudWatch Logs accepts)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}
