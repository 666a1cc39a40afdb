# Every component of one environment in one configuration, as the live roots wire them, for the
# tests that read what Terraform renders: the exact IAM policies (tests/terraform/test_iam_policies.py)
# and more. render.tftest.hcl applies it with tf-offline's stand-in provider only; nothing here is
# ever deployed.
#
# dev's values, but for one: the services release as prod does (CodeDeploy shifts their aliases,
# live/<service>/envs/prod.tfvars), so that the CodeDeploy roles are among the policies checked.
# Terraform-owned aliases, dev's own way, are the modules' terraform tests' and dev's plan's.

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
  # prod's value (a test checks it against live/<service>/envs/prod.tfvars).
  deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
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

  deployment_config_name = local.deployment_config_name
}

module "basket" {
  source = "../../../terraform/modules/basket"

  prefix              = local.prefix
  environment         = local.environment
  package_path        = "${path.root}/../../../dist/basket.zip"
  openapi_spec        = file("${local.repo}/services/basket/openapi.yaml")
  deletion_protection = false

  deployment_config_name = local.deployment_config_name
}

module "order" {
  source = "../../../terraform/modules/order"

  prefix              = local.prefix
  environment         = local.environment
  package_path        = "${path.root}/../../../dist/order.zip"
  openapi_spec        = file("${local.repo}/services/order/openapi.yaml")
  deletion_protection = false

  deployment_config_name = local.deployment_config_name
}

# What `make deploy` reads from each service root (terraform output -json deployments).
output "deployments" {
  description = "Each service's deployments output."
  value = {
    product = module.product.deployments
    basket  = module.basket.deployments
    order   = module.order.deployments
  }
}
