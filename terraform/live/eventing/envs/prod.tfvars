region      = "us-east-1"
environment = "prod"

# Placeholder: replace with the 12 digits of prod's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "222222222222"

archive_retention_days = 90

# API Gateway's logging role is one setting per account and region: true in exactly one
# environment of an account. dev and prod are separate accounts here; if they share one, set
# false in one of them (with true in both, the second one's plan fails, naming the first).
manage_api_gateway_account = true
