# The bootstrap's contract, planned and applied with tf-offline's stand-in only: pytest's
# tests/terraform/test_deploy_roles.py reads the applied state (terraform test -json -verbose)
# and checks every role's policy exactly. Against the real provider these fake keys and an
# account nobody owns (allowed_account_ids) fail the provider's configuration: nothing is created.
provider "aws" {
  region              = "us-east-1"
  access_key          = "offline-rendering-only"
  secret_key          = "offline-rendering-only"
  allowed_account_ids = ["123456789012"]
}

variables {
  region            = "us-east-1"
  account_id        = "123456789012"
  environments      = ["dev", "prod"]
  state_bucket      = "shop-terraform-state-123456789012"
  github_repository = "example-org/serverless-shop"
}

run "state_bucket" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "The state bucket keeps every version of every state."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls,
      aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls,
      aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "The state bucket is never public."
  }

  assert {
    condition     = one([for rule in aws_s3_bucket_server_side_encryption_configuration.state.rule : one(rule.apply_server_side_encryption_by_default).sse_algorithm]) == "AES256"
    error_message = "The state bucket encrypts every state at rest."
  }

  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.state.rule).noncurrent_version_expiration[0].noncurrent_days == 90
    error_message = "Overwritten states expire after state_noncurrent_version_days (90)."
  }
}

run "roles" {
  command = plan

  assert {
    condition     = length(aws_iam_role.deploy) == 12 && length(aws_iam_role.plan) == 12
    error_message = "One deploy role and one plan role per environment (2) and component (6)."
  }

  assert {
    condition     = alltrue([for key, role in aws_iam_role.deploy : role.path == "/shop-deploy/" && role.name == "shop-${replace(key, "/", "-")}-deploy"])
    error_message = "Deploy roles are <prefix>-<env>-<component>-deploy, under /<prefix>-deploy/, outside every component's names."
  }

  assert {
    condition     = aws_ssm_parameter.boundary_arn["prod"].name == "/shop/prod/bootstrap/function-boundary-arn"
    error_message = "Each environment's boundary is published for its roots."
  }
}

run "account_must_be_twelve_digits" {
  command = plan

  variables {
    account_id = "12345"
  }

  expect_failures = [var.account_id]
}

run "repository_must_be_owner_and_name" {
  command = plan

  variables {
    github_repository = "example-org/*"
  }

  expect_failures = [var.github_repository]
}

# Applied with the stand-in, for the exact policies (tests/terraform/test_deploy_roles.py).
run "render" {
  command = apply

  assert {
    condition     = jsondecode(aws_s3_bucket_policy.state.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" && jsondecode(aws_s3_bucket_policy.state.policy).Statement[0].Effect == "Deny"
    error_message = "The state bucket refuses every request not made over TLS."
  }
}
