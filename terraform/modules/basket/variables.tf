variable "prefix" {
  description = "First part of every name (names are <prefix>-<environment>-...)."
  type        = string
  default     = "shop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.prefix))
    error_message = "prefix must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (dev, staging, prod...), part of every name and the API stage name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "package_path" {
  description = "Path of dist/basket.zip, built by `make build`."
  type        = string
}

variable "openapi_spec" {
  description = "Text of services/basket/openapi.yaml (the API's routes)."
  type        = string
}

variable "deletion_protection" {
  description = "Whether the table is protected against deletion (false in dev, true in prod)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the function's and the API's log groups, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 14
}

variable "log_level" {
  description = "Application log level: POWERTOOLS_LOG_LEVEL and the Lambda application log level (DEBUG, INFO, WARN or ERROR)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Timeout of the function in seconds (API Gateway gives up after 29)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 29
    error_message = "timeout must be between 1 and 29 seconds: API Gateway stops waiting at 29."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; null leaves it unreserved."
  type        = number
  default     = null
}

variable "throttling_burst_limit" {
  description = "API stage throttling burst limit (requests)."
  type        = number
  default     = 100
}

variable "throttling_rate_limit" {
  description = "API stage throttling rate limit (requests per second)."
  type        = number
  default     = 50
}
