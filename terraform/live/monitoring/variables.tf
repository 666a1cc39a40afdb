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

variable "alarm_email_addresses" {
  description = "Email addresses that receive this environment's alarms (each confirms its subscription once)."
  type        = list(string)
}
