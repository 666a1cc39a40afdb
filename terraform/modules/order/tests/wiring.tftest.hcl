# The order module's wiring: what it reads from SSM (eventing's bus, identity's user pool and
# admin group, monitoring's alarm topic), what its two functions get, the checkout subscription and
# the event source mapping that feeds the consumer. The AWS provider is mocked.

# Policy documents are mocked too: an empty one passes lambda-function's check of policy_json.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
  }
}

variables {
  environment  = "test"
  package_path = "../lambda-function/tests/package.zip"
  openapi_spec = file("../../../services/order/openapi.yaml")
}

override_data {
  target = data.aws_ssm_parameter.bus_name
  values = { insecure_value = "shop-test-events" }
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
      && data.aws_ssm_parameter.user_pool_arn.name == "/shop/test/identity/user-pool-arn"
      && data.aws_ssm_parameter.admin_group.name == "/shop/test/identity/admin-group"
      && data.aws_ssm_parameter.alarm_topic_arn[0].name == "/shop/test/monitoring/alarm-topic-arn"
    )
    error_message = "The module reads the parameters that eventing, identity and monitoring write."
  }

  assert {
    condition = alltrue([
      for name, value in {
        TABLE_NAME                   = "shop-test-orders"
        ADMIN_GROUP                  = "shop-admins"
        POWERTOOLS_SERVICE_NAME      = "order"
        POWERTOOLS_METRICS_NAMESPACE = "shop-test"
        POWERTOOLS_LOG_LEVEL         = "INFO"
      } : lookup(module.api_function.environment_variables, name, null) == value
    ])
    error_message = "The API function gets the table, the admin group read from SSM and its Powertools settings: ${jsonencode(module.api_function.environment_variables)}"
  }

  assert {
    condition = (
      module.consumer_function.environment_variables.TABLE_NAME == "shop-test-orders"
      && !contains(keys(module.consumer_function.environment_variables), "ADMIN_GROUP")
    )
    error_message = "The consumer writes the same table and acts for no caller (no ADMIN_GROUP)."
  }

  assert {
    condition = (
      module.api_function.function_name == "shop-test-order-api"
      && module.consumer_function.function_name == "shop-test-order-consumer"
      && module.api.api_name == "shop-test-order"
      && module.api.stage_name == "test"
    )
    error_message = "Functions <prefix>-<env>-order-api and -consumer, API <prefix>-<env>-order."
  }

  assert {
    condition     = module.checkout_subscription.queue_name == "shop-test-order-checkout" && module.checkout_subscription.rule_name == "shop-test-order-checkout-basket"
    error_message = "The order service owns its subscription to CheckoutBasket."
  }

  assert {
    condition = (
      aws_lambda_event_source_mapping.checkout.event_source_arn == module.checkout_subscription.queue_arn
      && aws_lambda_event_source_mapping.checkout.function_name == module.consumer_function.alias_arn
      && aws_lambda_event_source_mapping.checkout.function_response_types == toset(["ReportBatchItemFailures"])
      && aws_lambda_event_source_mapping.checkout.batch_size == 10
      && aws_lambda_event_source_mapping.checkout.scaling_config[0].maximum_concurrency == 2
    )
    error_message = "The consumer reads the checkout queue in batches of 10, at most 2 at once, and reports partial batch failures."
  }

  assert {
    condition     = length(output.alarm_names) == 9 && output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:shop-test-alarms"
    error_message = "Both functions, the API and the subscription alarm, all on the topic read from SSM."
  }
}

run "bad_values_fail_at_plan" {
  command = plan

  variables {
    consumer_timeout = 14 # too short for one AWS call at its slowest (12 s) and an answer
    batch_size       = 11 # more than 10 messages need a batching window
  }

  expect_failures = [var.consumer_timeout, var.batch_size]
}
