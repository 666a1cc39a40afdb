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
      Component   = "eventing"
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

locals {
  events_dir = "${path.root}/../../../contracts/events"
}

module "eventing" {
  source = "../../modules/eventing"

  prefix                     = var.prefix
  environment                = var.environment
  archive_retention_days     = var.archive_retention_days
  manage_api_gateway_account = var.manage_api_gateway_account

  # Every contracts/events/<Name>.json, registered as schema <Name>.
  event_schemas = {
    for file_name in fileset(local.events_dir, "*.json") :
    trimsuffix(file_name, ".json") => file("${local.events_dir}/${file_name}")
  }
}
