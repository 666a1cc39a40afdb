region      = "us-east-1"
environment = "dev"

# Placeholder: replace with the 12 digits of dev's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "111111111111"

deletion_protection = false
log_retention_days  = 14
log_level           = "INFO"

# Alarms (they notify the topic of the monitoring root, read from SSM).
function_errors_alarm_threshold       = 5
api_server_error_rate_alarm_threshold = 0.25
api_latency_p99_alarm_threshold_ms    = 5000

# Releases: each apply moves the functions' aliases at once to the versions it published.
deployment_config_name = null
