region      = "us-east-1"
environment = "dev"

deletion_protection = false

# Threat protection needs the Plus tier, priced per monthly active user: off in dev.
user_pool_tier         = "ESSENTIALS"
advanced_security_mode = "OFF"

# Cognito's own sender (no email_configuration): about 50 e-mails a day, enough for a team.
