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

variable "archive_retention_days" {
  description = "Days the bus archive keeps events for replay."
  type        = number
}

variable "manage_api_gateway_account" {
  description = "Whether this root sets the account+region API Gateway CloudWatch Logs role; true in exactly one root per account and region."
  type        = bool
}
