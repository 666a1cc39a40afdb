terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: terraform init -backend-config=backend.hcl
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "shop"
      Environment = var.environment
      Component   = "monitoring"
      ManagedBy   = "terraform"
    }
  }
}

module "monitoring" {
  source = "../../../modules/monitoring"

  prefix                = var.prefix
  environment           = var.environment
  alarm_email_addresses = var.alarm_email_addresses
}
