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

variable "alarm_email_addresses" {
  description = "Email addresses that receive this environment's alarms (each confirms its subscription once)."
  type        = list(string)
}
