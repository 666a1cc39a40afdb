region      = "us-east-1"
environment = "prod"

# Placeholder: replace with the 12 digits of prod's AWS account. Until then the provider refuses
# to plan or apply with any real credentials (allowed_account_ids): nothing happens by mistake.
account_id = "222222222222"

deletion_protection = true

# Risky sign-ins (leaked passwords, unusual devices or places) are blocked or challenged.
user_pool_tier         = "PLUS"
advanced_security_mode = "ENFORCED"

# Customers' verification codes and password resets go out through Amazon SES: Cognito's own
# sender allows about 50 e-mails a day. Set your verified SES identity (a domain, out of the SES
# sandbox, in this region) and its sender before the first apply; the deploying role needs
# iam:CreateServiceLinkedRole once (Cognito's e-mail role).
email_configuration = {
  source_arn         = "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com"
  from_email_address = "Shop <no-reply@shop.example.com>"
}
