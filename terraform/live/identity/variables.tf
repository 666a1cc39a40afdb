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

variable "email_configuration" {
  description = "Amazon SES identity the user pool e-mails users with (source_arn, from_email_address, optional reply_to_email_address and configuration_set); null uses Cognito's own sender, about 50 e-mails a day (modules/identity)."
  type = object({
    source_arn             = string
    from_email_address     = string
    reply_to_email_address = optional(string)
    configuration_set      = optional(string)
  })
  default = null
}
