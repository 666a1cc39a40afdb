region      = "us-east-1"
environment = "dev"

# Placeholder: replace with the 12 digits of dev's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "111111111111"

# Who gets this environment's alarms by email: add the team's addresses (each one receives a
# confirmation email from SNS and gets alarms once it confirms). Other subscribers (chat,
# paging) can subscribe to the topic outside Terraform.
alarm_email_addresses = []
