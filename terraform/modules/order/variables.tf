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
  description = "Timeout of the order API function in seconds: above the 12 s one AWS call may take at worst (services/common/shop_common/clients.py), below API Gateway's 29."
  type        = number
  default     = 20

  validation {
    condition     = var.api_timeout >= 15 && var.api_timeout <= 29
    error_message = "api_timeout must be between 15 and 29 seconds: one AWS call may take 12 s at worst before the function answers 503, and API Gateway stops waiting at 29."
  }
}

variable "consumer_timeout" {
  description = "Timeout of the order consumer function in seconds; the queue's visibility timeout is six times it. A record is written only while 13 s (one AWS call at worst, and a margin) are left."
  type        = number
  default     = 30

  validation {
    condition     = var.consumer_timeout >= 15 && var.consumer_timeout <= 900
    error_message = "consumer_timeout must be between 15 and 900 seconds: a record is written only while 13 s are left."
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

variable "alarm_topic_arn" {
  description = "ARN of the SNS topic the service's alarms notify on ALARM and OK; null reads it from the SSM parameter /<prefix>/<environment>/monitoring/alarm-topic-arn written by the monitoring root."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:[^:]+:sns:[^:]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be null or the ARN of an SNS topic."
  }
}

variable "function_errors_alarm_threshold" {
  description = "Errors of a function (Sum over 5 minutes) above which its errors alarm fires; 0 alarms on the first error."
  type        = number
  default     = 0
}

variable "function_alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before a function's errors or throttles alarm fires."
  type        = number
  default     = 1
}

variable "api_server_error_rate_alarm_threshold" {
  description = "Fraction of API requests answered with a 5XX (over 5 minutes) above which the API's 5XX rate alarm fires, e.g. 0.05 for 5%."
  type        = number
  default     = 0.05
}

variable "api_latency_p99_alarm_threshold_ms" {
  description = "p99 of the API's latency over 5 minutes, in milliseconds, above which its latency alarm fires."
  type        = number
  default     = 3000
}

variable "api_alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before the API's 5XX rate or latency alarm fires."
  type        = number
  default     = 3
}

variable "queue_age_alarm_threshold_seconds" {
  description = "Age of the oldest checkout message, in seconds, above which the queue age alarm fires; keep it above max_receive_count x 6 x consumer_timeout (900 s by default)."
  type        = number
  default     = 1800
}

variable "queue_age_alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before the queue age alarm fires."
  type        = number
  default     = 1
}

variable "deployment_config_name" {
  description = "How a release reaches the functions' aliases. null: each apply moves them at once to the versions it published (dev). A CodeDeploy predefined Lambda configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes): apply publishes, and `make deploy` has CodeDeploy shift each alias, rolled back on its alarms (prod)."
  type        = string
  default     = null

  validation {
    condition     = var.deployment_config_name == null || can(regex("^CodeDeployDefault\\.Lambda", var.deployment_config_name))
    error_message = "deployment_config_name must be null or one of CodeDeploy's Lambda configurations, CodeDeployDefault.Lambda... (terraform/modules/lambda-deployment lists them)."
  }
}
