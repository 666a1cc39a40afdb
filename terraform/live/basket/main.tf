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
      Component   = "basket"
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

module "basket" {
  source = "../../modules/basket"

  prefix       = var.prefix
  environment  = var.environment
  package_path = "${path.root}/../../../dist/basket.zip"
  openapi_spec = file("${path.root}/../../../services/basket/openapi.yaml")

  deletion_protection = var.deletion_protection
  log_retention_days  = var.log_retention_days
  log_level           = var.log_level

  alarm_topic_arn                       = var.alarm_topic_arn
  function_errors_alarm_threshold       = var.function_errors_alarm_threshold
  api_server_error_rate_alarm_threshold = var.api_server_error_rate_alarm_threshold
  api_latency_p99_alarm_threshold_ms    = var.api_latency_p99_alarm_threshold_ms

  deployment_config_name = var.deployment_config_name
}
