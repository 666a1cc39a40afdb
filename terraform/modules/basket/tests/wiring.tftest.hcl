# The basket module's wiring: what it reads from SSM (eventing's bus, identity's user pool and
# admin group, monitoring's alarm topic), what its function gets and may publish, and its table.
# The AWS provider is mocked.

# Policy documents are mocked too: an empty one passes lambda-function's check of policy_json.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
  }
}

variables {
  environment  = "test"
  package_path = "../lambda-function/tests/package.zip"
  openapi_spec = file("../../../services/basket/openapi.yaml")
}

override_data {
  target = data.aws_ssm_parameter.bus_name
  values = { insecure_value = "shop-test-events" }
}

override_data {
  target = data.aws_ssm_parameter.bus_arn
  values = { insecure_value = "arn:aws:events:us-east-1:123456789012:event-bus/shop-test-events" }
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
      data.aws_ssm_parameter.bus_name.name == "/shop/test/eventing/bus-name"
      && data.aws_ssm_parameter.bus_arn.name == "/shop/test/eventing/bus-arn"
      && data.aws_ssm_parameter.user_pool_arn.name == "/shop/test/identity/user-pool-arn"
      && data.aws_ssm_parameter.admin_group.name == "/shop/test/identity/admin-group"
      && data.aws_ssm_parameter.alarm_topic_arn[0].name == "/shop/test/monitoring/alarm-topic-arn"
    )
    error_message = "The module reads the parameters that eventing, identity and monitoring write."
  }

  assert {
    condition = alltrue([
      for name, value in {
        TABLE_NAME                   = "shop-test-basket"
        EVENT_BUS_NAME               = "shop-test-events"
        ADMIN_GROUP                  = "shop-admins"
        POWERTOOLS_SERVICE_NAME      = "basket"
        POWERTOOLS_METRICS_NAMESPACE = "shop-test"
        POWERTOOLS_LOG_LEVEL         = "INFO"
      } : lookup(module.function.environment_variables, name, null) == value
    ])
    error_message = "The function gets its table, the bus and admin group read from SSM, and its Powertools settings: ${jsonencode(module.function.environment_variables)}"
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.function.statement : (
        statement.actions == toset(["events:PutEvents"])
        && statement.resources == toset(["arn:aws:events:us-east-1:123456789012:event-bus/shop-test-events"])
        && statement.condition == toset([{ test = "StringEquals", variable = "events:source", values = tolist(["shop.basket"]) }])
      ) if statement.sid == "PublishBasketEvents"
    ]) && contains([for statement in data.aws_iam_policy_document.function.statement : statement.sid], "PublishBasketEvents")
    error_message = "The function may put events on the bus read from SSM, only with source shop.basket."
  }

  assert {
    condition     = module.function.function_name == "shop-test-basket" && module.api.api_name == "shop-test-basket" && module.api.stage_name == "test"
    error_message = "Function and API are <prefix>-<env>-basket; the stage is the environment."
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:shop-test-alarms"
    error_message = "Alarms notify the topic read from SSM."
  }

  assert {
    condition     = aws_dynamodb_table.basket.hash_key == "userName" && aws_dynamodb_table.basket.deletion_protection_enabled && aws_dynamodb_table.basket.point_in_time_recovery[0].enabled
    error_message = "The table: keyed by userName, protected by default, with point-in-time recovery."
  }
}

run "a_timeout_too_short_for_one_aws_call_fails_at_plan" {
  command = plan

  variables {
    timeout = 14
  }

  expect_failures = [var.timeout]
}
