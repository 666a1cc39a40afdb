# The eventing module's contract: the shared bus and its archive, one registry schema per event
# contract, the SSM parameters the services read, and API Gateway's account setting managed by one
# environment per account and region. The AWS provider is mocked.

mock_provider "aws" {}

variables {
  environment            = "test"
  archive_retention_days = 7
  event_schemas = {
    CheckoutBasket = "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"object\"}"
  }
}

override_resource {
  target = aws_cloudwatch_event_bus.this
  values = { arn = "arn:aws:events:us-east-1:123456789012:event-bus/shop-test-events" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

override_data {
  target = data.aws_ssm_parameter.permissions_boundary_arn
  values = { insecure_value = "arn:aws:iam::123456789012:policy/shop-deploy/shop-test-function-boundary" }
}

# No other environment manages the account setting yet.
override_data {
  target = data.aws_ssm_parameters_by_path.api_gateway_account
  values = { names = [], values = [] }
}

run "bus_archive_and_schemas" {
  assert {
    condition     = aws_cloudwatch_event_bus.this.name == "shop-test-events"
    error_message = "The bus is <prefix>-<env>-events."
  }

  assert {
    condition     = aws_cloudwatch_event_archive.this.event_source_arn == aws_cloudwatch_event_bus.this.arn && aws_cloudwatch_event_archive.this.retention_days == 7
    error_message = "Every event of the bus is archived, for the retention given."
  }

  assert {
    condition     = keys(aws_schemas_schema.this) == ["CheckoutBasket"] && aws_schemas_schema.this["CheckoutBasket"].type == "JSONSchemaDraft4" && aws_schemas_schema.this["CheckoutBasket"].registry_name == aws_schemas_registry.this.name
    error_message = "One draft-4 schema per contract, in the bus's registry."
  }
}

run "parameters_the_services_read" {
  assert {
    condition = {
      for parameter in [aws_ssm_parameter.bus_name, aws_ssm_parameter.bus_arn, aws_ssm_parameter.schema_registry] :
      parameter.name => parameter.value
      } == {
      "/shop/test/eventing/bus-name"        = "shop-test-events"
      "/shop/test/eventing/bus-arn"         = "arn:aws:events:us-east-1:123456789012:event-bus/shop-test-events"
      "/shop/test/eventing/schema-registry" = "shop-test-events"
    }
    error_message = "The bus's name and ARN and the registry are published under /<prefix>/<env>/eventing/."
  }
}

run "by_default_another_root_manages_the_api_gateway_account" {
  assert {
    condition     = length(aws_api_gateway_account.this) == 0 && length(aws_iam_role.api_gateway_cloudwatch) == 0 && length(data.aws_ssm_parameter.permissions_boundary_arn) == 0 && output.api_gateway_account_parameter_name == null
    error_message = "manage_api_gateway_account defaults to false: nothing account-wide."
  }
}

run "the_managing_environment_records_itself" {
  variables {
    manage_api_gateway_account = true
  }

  assert {
    condition = (
      aws_ssm_parameter.api_gateway_account_managed_by[0].name == "/shop/api-gateway-account/managed-by"
      && aws_ssm_parameter.api_gateway_account_managed_by[0].value == "test"
      && aws_api_gateway_account.this[0].cloudwatch_role_arn == aws_iam_role.api_gateway_cloudwatch[0].arn
      && aws_iam_role_policy_attachment.api_gateway_cloudwatch[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    )
    error_message = "The managing root sets the logging role and names its environment in an account-wide parameter."
  }

  assert {
    condition = (
      data.aws_ssm_parameter.permissions_boundary_arn[0].name == "/shop/test/bootstrap/function-boundary-arn"
      && aws_iam_role.api_gateway_cloudwatch[0].permissions_boundary == "arn:aws:iam::123456789012:policy/shop-deploy/shop-test-function-boundary"
    )
    error_message = "The logging role carries the environment's permissions boundary, read from what terraform/bootstrap publishes."
  }
}

run "the_managing_environment_plans_again" {
  command = plan

  variables {
    manage_api_gateway_account = true
  }

  override_data {
    target = data.aws_ssm_parameters_by_path.api_gateway_account
    values = { names = ["/shop/api-gateway-account/managed-by"], values = ["test"] }
  }

  assert {
    condition     = length(aws_api_gateway_account.this) == 1
    error_message = "Its own parameter does not stop the environment that manages the setting."
  }
}

run "a_second_environment_in_the_same_account_fails_at_plan" {
  command = plan

  variables {
    environment                = "prod"
    manage_api_gateway_account = true
  }

  override_data {
    target = data.aws_ssm_parameters_by_path.api_gateway_account
    values = { names = ["/shop/api-gateway-account/managed-by"], values = ["test"] }
  }

  expect_failures = [data.aws_ssm_parameters_by_path.api_gateway_account]
}

run "a_schema_that_is_not_json_fails_at_plan" {
  command = plan

  variables {
    event_schemas = { Broken = "{" }
  }

  expect_failures = [var.event_schemas]
}
