# Every component of one environment in one configuration, as the live roots wire them, for the
# tests that read what Terraform renders: the exact IAM policies (tests/terraform/test_iam_policies.py)
# and more. render.tftest.hcl applies it with tf-offline's stand-in provider only; nothing here is
# ever deployed.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

locals {
  prefix      = "shop"
  environment = "dev"
  repo        = "${path.root}/../../.."
  events_dir  = "${local.repo}/contracts/events"
}

module "eventing" {
  source = "../../../terraform/modules/eventing"

  prefix                     = local.prefix
  environment                = local.environment
  archive_retention_days     = 7
  manage_api_gateway_account = true
  event_schemas = {
    for file_name in fileset(local.events_dir, "*.json") :
    trimsuffix(file_name, ".json") => file("${local.events_dir}/${file_name}")
  }
}

module "monitoring" {
  source = "../../../terraform/modules/monitoring"

  prefix      = local.prefix
  environment = local.environment
}

module "identity" {
  source = "../../../terraform/modules/identity"

  prefix              = local.prefix
  environment         = local.environment
  deletion_protection = false
}

module "product" {
  source = "../../../terraform/modules/product"

  prefix              = local.prefix
  environment         = local.environment
  package_path        = "${path.root}/../../../dist/product.zip"
  openapi_spec        = file("${local.repo}/services/product/openapi.yaml")
  deletion_protection = false
}

module "basket" {
  source = "../../../terraform/modules/basket"

  prefix              = local.prefix
  environment         = local.environment
  package_path        = "${path.root}/../../../dist/basket.zip"
  openapi_spec        = file("${local.repo}/services/basket/openapi.yaml")
  deletion_protection = false
}

module "order" {
  source = "../../../terraform/modules/order"

  prefix              = local.prefix
  environment         = local.environment
  package_path        = "${path.root}/../../../dist/order.zip"
  openapi_spec        = file("${local.repo}/services/order/openapi.yaml")
  deletion_protection = false
}
