variable "name" {
  description = "Name of the REST API (overrides the OpenAPI document's info.title); also names its log groups, its alarms and the function's invoke permission (statement id AllowInvokeFrom-<name>)."
  type        = string

  # Lambda takes statement ids of at most 100 letters, digits, hyphens, underscores and dots:
  # 100 - len("AllowInvokeFrom-") leaves 84.
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,84}$", var.name))
    error_message = "name must be 1-84 letters, digits, dots, hyphens or underscores: the function's invoke permission is named AllowInvokeFrom-<name>, and Lambda takes statement ids of at most 100 such characters."
  }
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

variable "cognito_user_pool_arns" {
  description = "ARNs of the Cognito user pools whose ID tokens the document's cognito_user_pools security schemes accept (required when it has one)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.cognito_user_pool_arns : can(regex("^arn:[^:]+:cognito-idp:[^:]+:[0-9]{12}:userpool/.+$", arn))])
    error_message = "Every entry of cognito_user_pool_arns must be the ARN of a Cognito user pool."
  }
}

variable "function_name" {
  description = "Name of the Lambda function that serves every operation, through its alias function_qualifier."
  type        = string
}

variable "function_qualifier" {
  description = "The alias of that function that the integrations invoke, and that API Gateway is allowed to invoke (the permission's qualifier)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_-][A-Za-z0-9_-]{0,127}$", var.function_qualifier))
    error_message = "function_qualifier must be an alias name: 1-128 letters, digits, hyphens or underscores, not starting with a digit."
  }
}

variable "function_invoke_arn" {
  description = "Invoke ARN of that alias (aws_lambda_alias.invoke_arn): the URI of every integration."
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

variable "alarm_actions" {
  description = "ARNs notified when an alarm of the API goes to ALARM and back to OK: the environment's alarm topic (1-5 ARNs)."
  type        = list(string)

  validation {
    condition     = length(var.alarm_actions) >= 1 && length(var.alarm_actions) <= 5
    error_message = "alarm_actions must hold 1 to 5 ARNs: an alarm nobody hears is not an alarm, and CloudWatch allows at most 5 actions per state."
  }

  validation {
    condition     = alltrue([for arn in var.alarm_actions : can(regex("^arn:", arn))])
    error_message = "Every entry of alarm_actions must be an ARN."
  }
}

variable "server_error_rate_alarm_threshold" {
  description = "Fraction of requests answered with a 5XX (Average of 5XXError over 5 minutes) above which the 5XX rate alarm fires, e.g. 0.05 for 5%."
  type        = number
  default     = 0.05

  validation {
    condition     = var.server_error_rate_alarm_threshold >= 0 && var.server_error_rate_alarm_threshold < 1
    error_message = "server_error_rate_alarm_threshold is a fraction: >= 0 and < 1."
  }
}

variable "latency_p99_alarm_threshold_ms" {
  description = "p99 of the stage's Latency over 5 minutes, in milliseconds, above which the latency alarm fires."
  type        = number
  default     = 3000

  validation {
    condition     = var.latency_p99_alarm_threshold_ms > 0 && var.latency_p99_alarm_threshold_ms < 29000
    error_message = "latency_p99_alarm_threshold_ms must be above 0 and below 29000 (API Gateway's integration timeout)."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before the 5XX rate or latency alarm fires (1-288, at most one day)."
  type        = number
  default     = 3

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 288 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number between 1 and 288."
  }
}

variable "url_parameter_name" {
  description = "Name of the SSM parameter that publishes the stage's URL (/<prefix>/<env>/<service>/api-url, read by the smoke tests); null publishes none."
  type        = string
  default     = null

  validation {
    condition     = var.url_parameter_name == null || can(regex("^(/[A-Za-z0-9_.-]+)+$", var.url_parameter_name))
    error_message = "url_parameter_name must be an SSM parameter path such as /shop/dev/product/api-url."
  }
}
