variable "region" {
  description = "AWS region of this environment."
  type        = string
}

variable "account_id" {
  description = "The AWS account of this environment: the provider refuses to plan or apply in any other (allowed_account_ids)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
}

variable "prefix" {
  description = "First part of every resource name."
  type        = string
  default     = "shop"
}

variable "deletion_protection" {
  description = "Whether the service's table is protected against deletion."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the service's log groups, in days."
  type        = number
}

variable "log_level" {
  description = "Application log level of the service's functions."
  type        = string
  default     = "INFO"
}

variable "alarm_topic_arn" {
  description = "ARN of the SNS topic the service's alarms notify; null (the default) reads the one the monitoring root publishes in SSM."
  type        = string
  default     = null
}

variable "function_errors_alarm_threshold" {
  description = "Errors of a function in 5 minutes above which its errors alarm fires."
  type        = number
}

variable "api_server_error_rate_alarm_threshold" {
  description = "Fraction of API requests answered with a 5XX in 5 minutes above which the 5XX rate alarm fires."
  type        = number
}

variable "api_latency_p99_alarm_threshold_ms" {
  description = "p99 API latency in milliseconds above which the latency alarm fires."
  type        = number
}

variable "deployment_config_name" {
  description = "null: each apply moves the functions' aliases at once. A CodeDeploy Lambda configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes): apply publishes, and `make deploy` has CodeDeploy shift the aliases, rolled back on their alarms."
  type        = string
  default     = null
}
