variable "region" {
  description = "Region of the state bucket and of the environments deployed in this account."
  type        = string
}

variable "account_id" {
  description = "The AWS account this is applied to; the provider refuses any other (allowed_account_ids)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "prefix" {
  description = "First part of every name (names are <prefix>-<environment>-...), as in the other roots."
  type        = string
  default     = "shop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.prefix))
    error_message = "prefix must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environments" {
  description = "The environments deployed in this account (one deploy role per environment and component)."
  type        = set(string)

  validation {
    condition     = length(var.environments) > 0 && alltrue([for e in var.environments : can(regex("^[a-z][a-z0-9-]{1,15}$", e))])
    error_message = "environments must name at least one environment of 2-16 lowercase letters, digits or hyphens."
  }
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket (S3 names are global: include something of yours); the roots' backend files name it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens."
  }
}

variable "state_noncurrent_version_days" {
  description = "Days an overwritten state version is kept before it expires (it is how a bad apply is undone)."
  type        = number
  default     = 90

  validation {
    condition     = var.state_noncurrent_version_days >= 7
    error_message = "state_noncurrent_version_days must be at least 7: older states are how a bad apply is undone."
  }
}

variable "github_repository" {
  description = "The GitHub repository whose workflows deploy, as owner/name; only its jobs in a matching GitHub environment may assume the roles."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "create_github_oidc_provider" {
  description = "Whether to create the account's GitHub OIDC identity provider (false when the account already has one: there is one per URL and account)."
  type        = bool
  default     = true
}
