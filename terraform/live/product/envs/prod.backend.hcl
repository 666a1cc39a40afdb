# State of prod/product. Change bucket to your own state bucket (S3 bucket names are global).
bucket       = "shop-terraform-state-prod"
key          = "prod/product/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
