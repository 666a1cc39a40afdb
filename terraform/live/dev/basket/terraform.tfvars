region      = "us-east-1"
environment = "dev"

deletion_protection = false
log_retention_days  = 14
log_level           = "INFO"
