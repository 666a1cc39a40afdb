region      = "us-east-1"
environment = "dev"

# Who gets this environment's alarms by email: add the team's addresses (each one receives a
# confirmation email from SNS and gets alarms once it confirms). Other subscribers (chat,
# paging) can subscribe to the topic outside Terraform.
alarm_email_addresses = []
