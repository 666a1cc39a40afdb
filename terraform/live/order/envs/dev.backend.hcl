# State of dev/order. Change bucket to your own state bucket (S3 bucket names are global).
bucket       = "shop-terraform-state-dev"
key          = "dev/order/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
