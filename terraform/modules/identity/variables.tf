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
  description = "Environment name (dev, staging, prod...), part of every name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "deletion_protection" {
  description = "Whether the user pool is protected against deletion (false in dev, true in prod): deleting it deletes every account."
  type        = bool
  default     = true
}

variable "admin_group_name" {
  description = "Name of the group of shop administrators; published as /<prefix>/<environment>/identity/admin-group, which the services pass to their functions as ADMIN_GROUP."
  type        = string
  default     = "admin"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.admin_group_name))
    error_message = "admin_group_name must be 1-128 letters, digits, _, . or - (it travels comma-separated in cognito:groups)."
  }
}

variable "minimum_password_length" {
  description = "Shortest password accepted (with lower and upper case letters, a number and a symbol)."
  type        = number
  default     = 12

  validation {
    condition     = var.minimum_password_length >= 8 && var.minimum_password_length <= 99
    error_message = "minimum_password_length must be between 8 and 99."
  }
}

variable "self_sign_up" {
  description = "Whether customers may sign themselves up; false leaves account creation to administrators."
  type        = bool
  default     = true
}

variable "user_pool_tier" {
  description = "Cognito feature plan: LITE, ESSENTIALS or PLUS (threat protection needs PLUS)."
  type        = string
  default     = "ESSENTIALS"

  validation {
    condition     = contains(["LITE", "ESSENTIALS", "PLUS"], var.user_pool_tier)
    error_message = "user_pool_tier must be LITE, ESSENTIALS or PLUS."
  }
}

variable "advanced_security_mode" {
  description = "Threat protection of sign-ins: OFF, AUDIT (log risks) or ENFORCED (block risky sign-ins); AUDIT and ENFORCED need user_pool_tier PLUS."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.advanced_security_mode)
    error_message = "advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }

  validation {
    condition     = var.advanced_security_mode == "OFF" || var.user_pool_tier == "PLUS"
    error_message = "advanced_security_mode AUDIT or ENFORCED needs user_pool_tier = \"PLUS\"."
  }
}

variable "id_token_validity_minutes" {
  description = "Lifetime of ID and access tokens, in minutes (5-1440); clients refresh them with the refresh token."
  type        = number
  default     = 60

  validation {
    condition     = var.id_token_validity_minutes >= 5 && var.id_token_validity_minutes <= 1440
    error_message = "id_token_validity_minutes must be between 5 and 1440."
  }
}

variable "refresh_token_validity_days" {
  description = "Lifetime of refresh tokens, in days (1-3650): how long a customer stays signed in."
  type        = number
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650
    error_message = "refresh_token_validity_days must be between 1 and 3650."
  }
}

variable "email_configuration" {
  description = "How the user pool e-mails users (verification codes, invitations, password resets). null (the default) uses Cognito's own sender, limited to about 50 e-mails a day: enough for dev, not for customers. Otherwise an Amazon SES identity: source_arn (a verified domain or address, in this region or one Cognito accepts for it, and out of the SES sandbox), from_email_address (an address of that identity, e.g. \"Shop <no-reply@shop.example.com>\"), and optionally reply_to_email_address and configuration_set (SES configuration set)."
  type = object({
    source_arn             = string
    from_email_address     = string
    reply_to_email_address = optional(string)
    configuration_set      = optional(string)
  })
  default = null

  validation {
    condition     = var.email_configuration == null || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/[^/]+$", var.email_configuration.source_arn))
    error_message = "email_configuration.source_arn must be the ARN of an Amazon SES identity (arn:aws:ses:<region>:<account>:identity/<domain or address>)."
  }

  validation {
    condition     = var.email_configuration == null || can(regex("^([^<>@]*<)?[^<>@\\s]+@[^<>@\\s]+\\.[^<>@\\s]+>?$", var.email_configuration.from_email_address))
    error_message = "email_configuration.from_email_address must be an e-mail address, optionally with a name: \"Shop <no-reply@shop.example.com>\"."
  }
}
