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

variable "archive_retention_days" {
  description = "Days the bus archive keeps events for replay."
  type        = number
}

variable "manage_api_gateway_account" {
  description = "Whether this root sets the account+region API Gateway CloudWatch Logs role; true in exactly one root per account and region."
  type        = bool
}
