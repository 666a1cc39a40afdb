variable "function_name" {
  description = "Name of the Lambda function; also names its IAM role and its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "handler" {
  description = "Entry point in the package, as module.function (e.g. product.handler.lambda_handler)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must look like package.module.function."
  }
}

variable "package_path" {
  description = "Path of the deployment zip built by `make build` (dist/<service>.zip)."
  type        = string
}

variable "memory_size" {
  description = "Memory in MB (128-10240)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds (1-900)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; null leaves it unreserved (shares the account pool)."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= 0 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions, false)
    error_message = "reserved_concurrent_executions must be null or a whole number >= 0."
  }
}

variable "environment_variables" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "policy_json" {
  description = "IAM policy document (JSON) with the function's own permissions; CloudWatch Logs (its log group) and X-Ray are added by the module."
  type        = string

  validation {
    condition     = can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be an IAM policy document in JSON, with a Statement."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days (a value CloudWatch Logs accepts)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "application_log_level" {
  description = "Lowest level of the application's log records that Lambda sends to CloudWatch Logs."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.application_log_level)
    error_message = "application_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "system_log_level" {
  description = "Lowest level of the Lambda platform's log records (START, END, REPORT...) sent to CloudWatch Logs."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN"], var.system_log_level)
    error_message = "system_log_level must be one of DEBUG, INFO, WARN."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm of the function goes to ALARM and back to OK: the environment's alarm topic (1-5 ARNs)."
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

variable "errors_alarm_threshold" {
  description = "Function errors (Sum over 5 minutes) above which the errors alarm fires; 0 alarms on the first error."
  type        = number
  default     = 0

  validation {
    condition     = var.errors_alarm_threshold >= 0
    error_message = "errors_alarm_threshold must be >= 0."
  }
}

variable "alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before the errors or throttles alarm fires (1-288, at most one day)."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 288 && floor(var.alarm_evaluation_periods) == var.alarm_evaluation_periods
    error_message = "alarm_evaluation_periods must be a whole number between 1 and 288."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the environment's permissions boundary, put on the function's role: terraform/bootstrap publishes it as /<prefix>/<env>/bootstrap/function-boundary-arn, and the deploy roles may create roles only with it."
  type        = string

  validation {
    condition     = can(regex("^arn:", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an ARN (of an IAM policy), not a name."
  }
}

variable "alias_name" {
  description = "Name of the alias that every caller invokes and the alarms watch."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z_-][A-Za-z0-9_-]{0,127}$", var.alias_name))
    error_message = "alias_name must be 1-128 letters, digits, hyphens or underscores, not starting with a digit."
  }
}

variable "alias_version_owner" {
  description = "Who moves the alias to a new version: \"terraform\" (each apply, at once: the version it published) or \"codedeploy\" (Terraform creates the alias and then ignores its version and weights; a CodeDeploy deployment group shifts it, terraform/modules/lambda-deployment)."
  type        = string
  default     = "terraform"

  validation {
    condition     = contains(["terraform", "codedeploy"], var.alias_version_owner)
    error_message = "alias_version_owner must be \"terraform\" or \"codedeploy\"."
  }
}
