region      = "us-east-1"
environment = "prod"

deletion_protection = true

# Risky sign-ins (leaked passwords, unusual devices or places) are blocked or challenged.
user_pool_tier         = "PLUS"
advanced_security_mode = "ENFORCED"
