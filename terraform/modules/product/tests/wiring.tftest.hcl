# The product module's wiring: what it reads from SSM (identity's user pool and admin group,
# monitoring's alarm topic), what its function gets, and its table. The AWS provider is mocked.

# Policy documents are mocked too: an empty one passes lambda-function's check of policy_json.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
  }
}

variables {
  environment  = "test"
  package_path = "../lambda-function/tests/package.zip"
  openapi_spec = file("../../../services/product/openapi.yaml")
}

override_data {
  target = data.aws_ssm_parameter.user_pool_arn
  values = { insecure_value = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01" }
}

override_data {
  target = data.aws_ssm_parameter.admin_group
  values = { insecure_value = "shop-admins" }
}

override_data {
  target = data.aws_ssm_parameter.alarm_topic_arn
  values = { insecure_value = "arn:aws:sns:us-east-1:123456789012:shop-test-alarms" }
}

override_data {
  target = data.aws_ssm_parameter.permissions_boundary_arn
  values = { insecure_value = "arn:aws:iam::123456789012:policy/shop-deploy/shop-test-function-boundary" }
}

run "wiring" {
  assert {
    condition = (
      data.aws_ssm_parameter.user_pool_arn.name == "/shop/test/identity/user-pool-arn"
      && data.aws_ssm_parameter.admin_group.name == "/shop/test/identity/admin-group"
      && data.aws_ssm_parameter.alarm_topic_arn[0].name == "/shop/test/monitoring/alarm-topic-arn"
    )
    error_message = "The module reads the parameters that identity and monitoring write."
  }

  assert {
    condition = alltrue([
      for name, value in {
        TABLE_NAME                   = "shop-test-product"
        ADMIN_GROUP                  = "shop-admins"
        POWERTOOLS_SERVICE_NAME      = "product"
        POWERTOOLS_METRICS_NAMESPACE = "shop-test"
        POWERTOOLS_LOG_LEVEL         = "INFO"
      } : lookup(module.function.environment_variables, name, null) == value
    ])
    error_message = "The function gets its table, the admin group read from SSM, and its Powertools settings: ${jsonencode(module.function.environment_variables)}"
  }

  assert {
    condition     = module.function.function_name == "shop-test-product" && module.api.api_name == "shop-test-product" && module.api.stage_name == "test"
    error_message = "Function and API are <prefix>-<env>-product; the stage is the environment."
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:shop-test-alarms"
    error_message = "Alarms notify the topic read from SSM."
  }

  assert {
    condition = (
      aws_dynamodb_table.product.hash_key == "id"
      && aws_dynamodb_table.product.deletion_protection_enabled
      && aws_dynamodb_table.product.point_in_time_recovery[0].enabled
      && toset([for index in aws_dynamodb_table.product.global_secondary_index : index.name]) == toset(["category-index", "catalogue-index"])
    )
    error_message = "The table: keyed by id, protected by default, with point-in-time recovery and both listing indexes."
  }
}

run "a_given_alarm_topic_is_not_read_from_ssm" {
  variables {
    alarm_topic_arn     = "arn:aws:sns:us-east-1:123456789012:elsewhere"
    deletion_protection = false
  }

  assert {
    condition     = length(data.aws_ssm_parameter.alarm_topic_arn) == 0 && output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:elsewhere"
    error_message = "alarm_topic_arn, when given, replaces the SSM parameter."
  }

  assert {
    condition     = !aws_dynamodb_table.product.deletion_protection_enabled
    error_message = "deletion_protection = false unprotects the table (dev)."
  }
}

run "a_timeout_too_short_for_one_aws_call_fails_at_plan" {
  command = plan

  variables {
    timeout = 14
  }

  expect_failures = [var.timeout]
}
