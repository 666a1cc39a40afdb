# State of dev/eventing. Change bucket to your own state bucket (S3 bucket names are global).
bucket       = "shop-terraform-state-dev"
key          = "dev/eventing/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
