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

variable "archive_retention_days" {
  description = "Days the archive keeps the bus's events for replay; 0 keeps them indefinitely."
  type        = number

  validation {
    condition     = var.archive_retention_days >= 0 && floor(var.archive_retention_days) == var.archive_retention_days
    error_message = "archive_retention_days must be a whole number >= 0."
  }
}

variable "event_schemas" {
  description = "Event schemas to register: schema name (e.g. CheckoutBasket) -> JSON Schema draft-04 document (JSON text)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for content in values(var.event_schemas) : can(jsondecode(content))])
    error_message = "Every value of event_schemas must be a JSON document."
  }

  validation {
    condition     = alltrue([for name in keys(var.event_schemas) : can(regex("^[A-Za-z0-9@._-]{1,385}$", name))])
    error_message = "Schema names may hold only letters, digits, @, ., _ and -."
  }
}

variable "manage_api_gateway_account" {
  description = "Whether this root sets the account+region API Gateway CloudWatch Logs role (needed for stage access logs). Must be true in exactly one environment per account and region: a second one fails at plan (api_gateway_account.tf)."
  type        = bool
  default     = false
}
