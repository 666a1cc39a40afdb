# The monitoring module's contract: the environment's alarm topic, encrypted with a key that
# CloudWatch may use for this topic only, published to the services in SSM, with its e-mail
# subscribers, and the dashboard. The AWS provider is mocked.

mock_provider "aws" {}

variables {
  environment           = "test"
  alarm_email_addresses = ["oncall@example.com"]
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

override_data {
  target = data.aws_region.current
  values = { region = "us-east-1" }
}

override_resource {
  target = aws_sns_topic.alarms
  values = { arn = "arn:aws:sns:us-east-1:123456789012:shop-test-alarms" }
}

override_resource {
  target = aws_kms_key.this
  values = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000", key_id = "00000000-0000-4000-8000-000000000000" }
}

run "topic" {
  assert {
    condition     = aws_sns_topic.alarms.name == "shop-test-alarms" && aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.this.arn
    error_message = "The topic <prefix>-<env>-alarms is encrypted with the module's key."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_alias.this.name == "alias/shop-test-alarms"
    error_message = "The key rotates and is named after the topic."
  }

  assert {
    condition = one([
      for statement in data.aws_iam_policy_document.key.statement : one(statement.condition).values
      if statement.sid == "CloudWatchAlarmsPublishToTheTopic"
    ]) == tolist([aws_sns_topic.alarms.arn])
    error_message = "CloudWatch may use the key for this topic only (the topic ARN built from its parts is the topic's)."
  }

  assert {
    condition     = aws_sns_topic_policy.alarms.arn == aws_sns_topic.alarms.arn && aws_sns_topic_policy.alarms.policy == data.aws_iam_policy_document.topic.json
    error_message = "The topic carries its policy."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.topic.statement[0].actions == toset(["sns:Publish"])
      && one(data.aws_iam_policy_document.topic.statement[0].principals).identifiers == toset(["cloudwatch.amazonaws.com"])
      && one(data.aws_iam_policy_document.topic.statement[0].condition).values == tolist(["123456789012"])
    )
    error_message = "Only CloudWatch, for this account's alarms, publishes."
  }
}

run "subscribers_and_parameter" {
  assert {
    condition     = keys(aws_sns_topic_subscription.email) == ["oncall@example.com"] && aws_sns_topic_subscription.email["oncall@example.com"].protocol == "email"
    error_message = "Each address given subscribes by e-mail."
  }

  assert {
    condition     = aws_ssm_parameter.alarm_topic_arn.name == "/shop/test/monitoring/alarm-topic-arn" && aws_ssm_parameter.alarm_topic_arn.value == aws_sns_topic.alarms.arn
    error_message = "The services find the topic in /<prefix>/<env>/monitoring/alarm-topic-arn."
  }
}

run "dashboard" {
  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "shop-test"
    error_message = "One dashboard per environment, <prefix>-<env>."
  }

  assert {
    condition = alltrue([
      for name in ["shop-test-product", "shop-test-basket", "shop-test-order-api", "shop-test-order-consumer", "shop-test-order-checkout-dlq"] :
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"${name}\"")
    ])
    error_message = "The dashboard shows each function and the checkout DLQs by their conventional names."
  }
}

run "an_address_that_is_not_one_fails_at_plan" {
  command = plan

  variables {
    alarm_email_addresses = ["oncall"]
  }

  expect_failures = [var.alarm_email_addresses]
}
