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
  description = "Path of dist/order.zip (both order functions), built by `make build`."
  type        = string
}

variable "openapi_spec" {
  description = "Text of services/order/openapi.yaml (the API's routes)."
  type        = string
}

variable "deletion_protection" {
  description = "Whether the table is protected against deletion (false in dev, true in prod)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the functions' and the API's log groups, in days (a value CloudWatch Logs accepts)."
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
  description = "Memory of each order function in MB."
  type        = number
  default     = 256
}

variable "api_timeout" {
  description = "Timeout of the order API function in seconds (API Gateway gives up after 29)."
  type        = number
  default     = 10

  validation {
    condition     = var.api_timeout >= 1 && var.api_timeout <= 29
    error_message = "api_timeout must be between 1 and 29 seconds: API Gateway stops waiting at 29."
  }
}

variable "consumer_timeout" {
  description = "Timeout of the order consumer function in seconds; the queue's visibility timeout is six times it."
  type        = number
  default     = 30

  validation {
    condition     = var.consumer_timeout >= 1 && var.consumer_timeout <= 900
    error_message = "consumer_timeout must be between 1 and 900 seconds."
  }
}

variable "api_reserved_concurrent_executions" {
  description = "Concurrency reserved for the order API function; null leaves it unreserved."
  type        = number
  default     = null
}

variable "consumer_reserved_concurrent_executions" {
  description = "Concurrency reserved for the order consumer function; null leaves it unreserved."
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

variable "batch_size" {
  description = "Most messages the consumer receives in one invocation (1-10000; above 10 needs a batching window of at least 1 second)."
  type        = number
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && (var.batch_size <= 10 || var.maximum_batching_window_in_seconds >= 1)
    error_message = "batch_size must be between 1 and 10000, and above 10 only with maximum_batching_window_in_seconds >= 1."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "How long the event source mapping gathers messages before invoking the consumer (0-300 seconds)."
  type        = number
  default     = 0

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300
    error_message = "maximum_batching_window_in_seconds must be between 0 and 300."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent consumer invocations the event source mapping starts (2-1000)."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000
    error_message = "maximum_concurrency must be between 2 and 1000."
  }
}

variable "max_receive_count" {
  description = "Receives of a checkout message before it moves to the DLQ."
  type        = number
  default     = 5
}

variable "maximum_event_age_in_seconds" {
  description = "How long EventBridge retries delivering a checkout event to the queue (seconds)."
  type        = number
  default     = 86400
}

variable "maximum_retry_attempts" {
  description = "Delivery retries of EventBridge before a checkout event goes to the delivery DLQ."
  type        = number
  default     = 185
}
