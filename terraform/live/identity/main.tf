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
      Component   = "identity"
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

module "identity" {
  source = "../../modules/identity"

  prefix                 = var.prefix
  environment            = var.environment
  deletion_protection    = var.deletion_protection
  user_pool_tier         = var.user_pool_tier
  advanced_security_mode = var.advanced_security_mode
  email_configuration    = var.email_configuration
}
