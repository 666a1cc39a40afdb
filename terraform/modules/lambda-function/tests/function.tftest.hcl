# The lambda-function module's contract: one function with active tracing, JSON logs to a log
# group of its own, a role of its own whose policy is the function's document plus its logs and
# X-Ray, and alarms on its errors and throttles. The AWS provider is mocked: no cloud, no account.

mock_provider "aws" {}

variables {
  function_name      = "shop-test-product"
  description        = "Product API"
  handler            = "product.handler.lambda_handler"
  package_path       = "tests/package.zip"
  log_retention_days = 14
  alarm_actions      = ["arn:aws:sns:us-east-1:123456789012:shop-test-alarms"]
  environment_variables = {
    TABLE_NAME = "shop-test-product"
  }
  policy_json = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Sid": "ProductTable", "Effect": "Allow",
     "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/shop-test-product"}]}
  EOT
}

override_resource {
  target = aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-test-product" }
}

override_resource {
  target = aws_iam_role.this
  values = { arn = "arn:aws:iam::123456789012:role/shop-test-product", id = "shop-test-product" }
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

run "function" {
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "X-Ray active tracing must be on."
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "python3.13" && aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "The function runs python3.13 on arm64, what `make build` packages for."
  }

  assert {
    condition     = aws_lambda_function.this.handler == "product.handler.lambda_handler" && aws_lambda_function.this.source_code_hash == filebase64sha256("tests/package.zip")
    error_message = "The handler and the package's hash must be the ones given."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ TABLE_NAME = "shop-test-product" }) && output.environment_variables == aws_lambda_function.this.environment[0].variables
    error_message = "The function gets exactly the environment variables given, and says so."
  }
}

run "logs" {
  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/shop-test-product" && aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "The function's log group is /aws/lambda/<name>, with the retention given."
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_format == "JSON" && aws_lambda_function.this.logging_config[0].log_group == aws_cloudwatch_log_group.this.name
    error_message = "The function logs JSON to its own log group."
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].application_log_level == "INFO" && aws_lambda_function.this.logging_config[0].system_log_level == "INFO"
    error_message = "Log levels default to INFO."
  }
}

run "role" {
  assert {
    condition     = aws_lambda_function.this.role == aws_iam_role.this.arn && aws_iam_role.this.name == "shop-test-product"
    error_message = "The function runs with a role of its own, named after it."
  }

  assert {
    condition     = aws_iam_role.this.assume_role_policy == data.aws_iam_policy_document.assume_role.json
    error_message = "The role's trust policy is the assume_role document."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.assume_role.statement[0].actions == toset(["sts:AssumeRole"])
      && one(data.aws_iam_policy_document.assume_role.statement[0].principals).identifiers == toset(["lambda.amazonaws.com"])
      && one(data.aws_iam_policy_document.assume_role.statement[0].condition).variable == "aws:SourceAccount"
      && one(data.aws_iam_policy_document.assume_role.statement[0].condition).values == tolist(["123456789012"])
    )
    error_message = "Only Lambda, for this account, may assume the role."
  }

  assert {
    condition     = aws_iam_role_policy.this.role == aws_iam_role.this.id && aws_iam_role_policy.this.policy == data.aws_iam_policy_document.this.json
    error_message = "The role's one inline policy is the merged document."
  }

  assert {
    condition     = data.aws_iam_policy_document.this.source_policy_documents == tolist([var.policy_json])
    error_message = "The function's own document is the source of the merged one."
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.this.statement : s.sid] == ["WriteOwnLogs", "XRay"]
    error_message = "The module adds exactly two statements: its own logs and X-Ray."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.this.statement[0].actions == toset(["logs:CreateLogStream", "logs:PutLogEvents"])
      && data.aws_iam_policy_document.this.statement[0].resources == toset(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-test-product:*"])
    )
    error_message = "The function writes only the streams of its own log group."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.this.statement[1].actions == toset(["xray:PutTraceSegments", "xray:PutTelemetryRecords"])
      && data.aws_iam_policy_document.this.statement[1].resources == toset(["*"])
    )
    error_message = "X-Ray: its two write actions on *, since it has no resource-level permissions."
  }
}

run "alarms" {
  assert {
    condition = alltrue([
      for alarm in [aws_cloudwatch_metric_alarm.errors, aws_cloudwatch_metric_alarm.throttles] :
      alarm.dimensions == tomap({ FunctionName = "shop-test-product" })
      && alarm.alarm_actions == toset(var.alarm_actions) && alarm.ok_actions == toset(var.alarm_actions)
    ])
    error_message = "Both alarms watch this function and notify on ALARM and OK."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.metric_name == "Errors" && aws_cloudwatch_metric_alarm.throttles.metric_name == "Throttles"
    error_message = "One alarm on errors, one on throttles."
  }
}

# Values AWS would refuse fail at plan, each by its variable's validation.
run "bad_values_fail_at_plan" {
  command = plan

  variables {
    function_name = "shop test product"
    policy_json   = "{\"Statement\": oops"
    alarm_actions = []
  }

  expect_failures = [var.function_name, var.policy_json, var.alarm_actions]
}
