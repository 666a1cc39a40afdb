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
  description = "Whether the user pool is protected against deletion."
  type        = bool
}

variable "user_pool_tier" {
  description = "Cognito feature plan: LITE, ESSENTIALS or PLUS."
  type        = string
}

variable "advanced_security_mode" {
  description = "Threat protection of sign-ins: OFF, AUDIT or ENFORCED (AUDIT and ENFORCED need the PLUS tier)."
  type        = string
}
