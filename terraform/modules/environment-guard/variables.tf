variable "environment" {
  description = "Environment whose values this plan uses (dev, prod...); must be the one the state was first applied with."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}
