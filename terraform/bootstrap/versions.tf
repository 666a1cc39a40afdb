# Applied once per AWS account, by a person with administrator access, before any other root:
# it makes what every other root and pipeline needs first (the state bucket, the GitHub OIDC
# identity provider, the deploy roles). Its own state is local (terraform.tfstate here, ignored
# by git); keep it, or move it into the bucket it made (README.md).
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = {
      Project   = var.prefix
      Component = "bootstrap"
      ManagedBy = "terraform"
    }
  }
}
