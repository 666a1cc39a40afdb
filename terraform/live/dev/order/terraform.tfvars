region      = "us-east-1"
environment = "dev"

deletion_protection = false
log_retention_days  = 14
log_level           = "INFO"

maximum_batching_window_in_seconds = 0
