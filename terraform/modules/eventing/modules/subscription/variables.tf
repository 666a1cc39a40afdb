variable "name" {
  description = "Name of the queue; its redrive DLQ is <name>-dlq, the rule target's delivery DLQ <name>-delivery-dlq and the rule's target id sqs-<name>."
  type        = string

  # EventBridge target ids are at most 64 characters (sqs-<name>: 60 left); queue names at most 80
  # (<name>-delivery-dlq: 66 left).
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,60}$", var.name))
    error_message = "name must be 1-60 letters, digits, hyphens or underscores: the rule's target id sqs-<name> may have at most 64 characters."
  }
}

variable "rule_name" {
  description = "Name of the EventBridge rule."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.rule_name))
    error_message = "rule_name must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "event_bus_name" {
  description = "Name of the event bus the rule listens on."
  type        = string
}

variable "event_pattern" {
  description = "EventBridge event pattern (JSON) selecting the events delivered to the queue."
  type        = string

  validation {
    condition     = can(jsondecode(var.event_pattern))
    error_message = "event_pattern must be JSON."
  }
}

variable "consumer_timeout_seconds" {
  description = "Timeout of the function that consumes the queue; the queue's visibility timeout is six times it, as AWS recommends for Lambda event sources."
  type        = number

  validation {
    condition     = var.consumer_timeout_seconds >= 1 && var.consumer_timeout_seconds <= 900 && floor(var.consumer_timeout_seconds) == var.consumer_timeout_seconds
    error_message = "consumer_timeout_seconds must be a whole number of seconds between 1 and 900."
  }
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message (60-1209600 seconds)."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-polling wait of the queue (0-20 seconds)."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "max_receive_count" {
  description = "Receives of a message before SQS moves it to the DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number between 1 and 1000."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the two DLQs keep a message (60-1209600 seconds)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long EventBridge retries delivering an event to the queue (60-86400 seconds)."
  type        = number
  default     = 86400

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400
    error_message = "maximum_event_age_in_seconds must be between 60 and 86400."
  }
}

variable "maximum_retry_attempts" {
  description = "Delivery retries of EventBridge before the event goes to the delivery DLQ (0-185)."
  type        = number
  default     = 185

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number between 0 and 185."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm of the subscription goes to ALARM and back to OK: the environment's alarm topic (1-5 ARNs)."
  type        = list(string)

  validation {
    condition     = length(var.alarm_actions) >= 1 && length(var.alarm_actions) <= 5
    error_message = "alarm_actions must hold 1 to 5 ARNs: an alarm nobody hears is not an alarm, and CloudWatch allows at most 5 actions per state."
  }

  validation {
    condition     = alltrue([for arn in var.alarm_actions : can(regex("^arn:", arn))])
    error_message = "Every entry of alarm_actions must be an ARN."
  }
}

variable "queue_age_alarm_threshold_seconds" {
  description = "Age of the queue's oldest message (Maximum of ApproximateAgeOfOldestMessage over 5 minutes), in seconds, above which the age alarm fires. Keep it above max_receive_count x the visibility timeout, or one failing message on its way to the DLQ raises it too."
  type        = number
  default     = 1800

  validation {
    condition     = var.queue_age_alarm_threshold_seconds >= 60 && var.queue_age_alarm_threshold_seconds <= 1209600
    error_message = "queue_age_alarm_threshold_seconds must be between 60 and 1209600 (the longest retention)."
  }
}

variable "queue_age_alarm_evaluation_periods" {
  description = "Consecutive 5-minute periods that must breach before the age alarm fires (1-288, at most one day). The DLQ alarms fire on the first period."
  type        = number
  default     = 1

  validation {
    condition     = var.queue_age_alarm_evaluation_periods >= 1 && var.queue_age_alarm_evaluation_periods <= 288 && floor(var.queue_age_alarm_evaluation_periods) == var.queue_age_alarm_evaluation_periods
    error_message = "queue_age_alarm_evaluation_periods must be a whole number between 1 and 288."
  }
}
