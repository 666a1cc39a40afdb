region      = "us-east-1"
environment = "dev"

# Placeholder: replace with the 12 digits of dev's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "111111111111"

deletion_protection = false

# Threat protection needs the Plus tier, priced per monthly active user: off in dev.
user_pool_tier         = "ESSENTIALS"
advanced_security_mode = "OFF"

# Cognito's own sender (no email_configuration): about 50 e-mails a day, enough for a team.
