region      = "us-east-1"
environment = "prod"

# Placeholder: replace with the 12 digits of prod's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "222222222222"

deletion_protection = true
log_retention_days  = 90
log_level           = "INFO"

# Alarms (they notify the topic of the monitoring root, read from SSM).
function_errors_alarm_threshold       = 0
api_server_error_rate_alarm_threshold = 0.05
api_latency_p99_alarm_threshold_ms    = 2500

# Releases: apply publishes new versions while the aliases keep serving the old ones; `make deploy`
# then has CodeDeploy shift 10% of the traffic for 5 minutes, then all of it, and roll back if
# the function's errors alarm or the API's 5XX alarm fires (terraform/README.md).
deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
