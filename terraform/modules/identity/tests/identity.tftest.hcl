# The identity module's contract: the user pool, its public app client and admin group, the SSM
# parameters the services read, and how the pool e-mails users. The AWS provider is mocked.

mock_provider "aws" {}

variables {
  environment = "test"
}

override_resource {
  target = aws_cognito_user_pool.this
  values = {
    id  = "us-east-1_Example01"
    arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"
  }
}

override_resource {
  target = aws_cognito_user_pool_client.shop
  values = { id = "exampleclientid0123456789" }
}

run "user_pool" {
  assert {
    condition = (
      aws_cognito_user_pool.this.name == "shop-test-users"
      && aws_cognito_user_pool.this.username_configuration[0].case_sensitive
      && aws_cognito_user_pool.this.deletion_protection == "ACTIVE"
      && aws_cognito_user_pool.this.mfa_configuration == "OPTIONAL"
    )
    error_message = "The pool: case-sensitive names (the tables key on them), protected against deletion by default, optional MFA."
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.password_policy[0].minimum_length == 12
      && aws_cognito_user_pool.this.password_policy[0].require_symbols
      && aws_cognito_user_pool.this.password_policy[0].require_numbers
    )
    error_message = "Passwords: at least 12 characters with symbols and numbers."
  }

  assert {
    condition     = aws_cognito_user_pool.this.email_configuration[0].email_sending_account == "COGNITO_DEFAULT"
    error_message = "Without email_configuration, Cognito's own sender (about 50 e-mails a day)."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.shop.user_pool_id == "us-east-1_Example01"
      && !aws_cognito_user_pool_client.shop.generate_secret
      && aws_cognito_user_pool_client.shop.prevent_user_existence_errors == "ENABLED"
      && !contains(aws_cognito_user_pool_client.shop.explicit_auth_flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH")
    )
    error_message = "The shop's client is public (no secret), hides whether a user exists, and has no admin sign-in flow."
  }

  assert {
    condition     = aws_cognito_user_group.admin.name == "admin" && aws_cognito_user_group.admin.user_pool_id == "us-east-1_Example01"
    error_message = "The admin group belongs to the pool."
  }
}

run "parameters_the_services_read" {
  assert {
    condition = {
      for parameter in [aws_ssm_parameter.user_pool_id, aws_ssm_parameter.user_pool_arn, aws_ssm_parameter.user_pool_client_id, aws_ssm_parameter.admin_group] :
      parameter.name => parameter.value
      } == {
      "/shop/test/identity/user-pool-id"        = "us-east-1_Example01"
      "/shop/test/identity/user-pool-arn"       = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"
      "/shop/test/identity/user-pool-client-id" = "exampleclientid0123456789"
      "/shop/test/identity/admin-group"         = "admin"
    }
    error_message = "The pool's id, ARN, client id and admin group are published under /<prefix>/<env>/identity/."
  }
}

run "an_ses_identity_sends_the_mail" {
  variables {
    email_configuration = {
      source_arn         = "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com"
      from_email_address = "Shop <no-reply@shop.example.com>"
    }
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.email_configuration[0].email_sending_account == "DEVELOPER"
      && aws_cognito_user_pool.this.email_configuration[0].source_arn == "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com"
      && aws_cognito_user_pool.this.email_configuration[0].from_email_address == "Shop <no-reply@shop.example.com>"
    )
    error_message = "With email_configuration, the pool sends through that SES identity."
  }
}

run "bad_values_fail_at_plan" {
  command = plan

  variables {
    email_configuration = {
      source_arn         = "shop.example.com"
      from_email_address = "no-reply@shop.example.com"
    }
    advanced_security_mode = "ENFORCED" # threat protection needs the PLUS tier
  }

  expect_failures = [var.email_configuration, var.advanced_security_mode]
}
