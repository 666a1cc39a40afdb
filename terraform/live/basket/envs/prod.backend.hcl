# State of prod/basket. Change bucket to your own state bucket (S3 bucket names are global).
bucket       = "shop-terraform-state-prod"
key          = "prod/basket/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
