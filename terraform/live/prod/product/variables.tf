variable "region" {
  description = "AWS region of this environment."
  type        = string
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
