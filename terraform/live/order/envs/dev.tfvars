region      = "us-east-1"
environment = "dev"

deletion_protection = false
log_retention_days  = 14
log_level           = "INFO"

maximum_batching_window_in_seconds = 0

# Alarms (they notify the topic of the monitoring root, read from SSM).
function_errors_alarm_threshold       = 5
api_server_error_rate_alarm_threshold = 0.25
api_latency_p99_alarm_threshold_ms    = 5000
queue_age_alarm_threshold_seconds     = 3600
