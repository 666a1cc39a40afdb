region      = "us-east-1"
environment = "prod"

archive_retention_days = 90

# The account+region API Gateway logging role: true in exactly one root per account and region.
# dev and prod are assumed to be separate accounts; if they share one, set false in one of them.
manage_api_gateway_account = true
