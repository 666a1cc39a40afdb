region      = "us-east-1"
environment = "prod"

deletion_protection = true
log_retention_days  = 90
log_level           = "INFO"

# Alarms (they notify the topic of the monitoring root, read from SSM).
function_errors_alarm_threshold       = 0
api_server_error_rate_alarm_threshold = 0.05
api_latency_p99_alarm_threshold_ms    = 2500
