terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: terraform init -reconfigure -backend-config=envs/<env>.backend.hcl
  backend "s3" {}
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id] # plans and applies fail in any other account

  default_tags {
    tags = {
      Project     = "shop"
      Environment = var.environment
      Component   = "monitoring"
      ManagedBy   = "terraform"
    }
  }
}

# Fails the plan when the state was applied with another environment's values (init with the
# wrong envs/<env>.backend.hcl).
module "environment_guard" {
  source = "../../modules/environment-guard"

  environment = var.environment
}

module "monitoring" {
  source = "../../modules/monitoring"

  prefix                = var.prefix
  environment           = var.environment
  alarm_email_addresses = var.alarm_email_addresses
}
