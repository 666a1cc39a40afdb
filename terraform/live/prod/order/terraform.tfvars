region      = "us-east-1"
environment = "prod"

deletion_protection = true
log_retention_days  = 90
log_level           = "INFO"

maximum_batching_window_in_seconds = 1
