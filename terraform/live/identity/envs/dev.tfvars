region      = "us-east-1"
environment = "dev"

deletion_protection = false

# Threat protection needs the Plus tier, priced per monthly active user: off in dev.
user_pool_tier         = "ESSENTIALS"
advanced_security_mode = "OFF"
