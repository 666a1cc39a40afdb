region      = "us-east-1"
environment = "prod"

deletion_protection = true
log_retention_days  = 90
log_level           = "INFO"
