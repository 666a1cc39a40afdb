# The lambda-function module's contract: one function with active tracing, JSON logs to a log
# group of its own, a role of its own (within the environment's boundary) whose policy is the
# function's document plus its logs and X-Ray, a version published on every change, the alias
# "live" moved by Terraform or left to CodeDeploy, and alarms on the alias's errors and throttles.
# The AWS provider is mocked: no cloud, no account.

mock_provider "aws" {}

variables {
  function_name      = "shop-test-product"
  description        = "Product API"
  handler            = "product.handler.lambda_handler"
  package_path       = "tests/package.zip"
  log_retention_days = 14
  alarm_actions      = ["arn:aws:sns:us-east-1:123456789012:shop-test-alarms"]
  # As terraform/bootstrap names it (its path /<prefix>-deploy/).
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/shop-deploy/shop-test-function-boundary"
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

# As the provider reports a function that published its 7th version.
override_resource {
  target = aws_lambda_function.this
  values = {
    arn     = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-product"
    version = "7"
  }
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
    condition     = aws_iam_role.this.permissions_boundary == var.permissions_boundary_arn
    error_message = "The role carries the environment's permissions boundary."
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
      alarm.dimensions == tomap({ FunctionName = "shop-test-product", Resource = "shop-test-product:live" })
      && alarm.alarm_actions == toset(var.alarm_actions) && alarm.ok_actions == toset(var.alarm_actions)
    ])
    error_message = "Both alarms watch the alias (Lambda's per-alias metrics: FunctionName + Resource <function>:<alias>) and notify on ALARM and OK."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.metric_name == "Errors" && aws_cloudwatch_metric_alarm.throttles.metric_name == "Throttles"
    error_message = "One alarm on errors, one on throttles."
  }

  assert {
    condition     = output.alarm_arns.errors == aws_cloudwatch_metric_alarm.errors.arn && output.alarm_names.errors == "shop-test-product-errors"
    error_message = "The errors alarm's name and ARN are outputs (a CodeDeploy deployment group rolls back on it)."
  }
}

# By default Terraform owns the alias: each apply moves it to the version the apply published.
run "terraform_moves_the_alias" {
  assert {
    condition     = aws_lambda_function.this.publish
    error_message = "Every change publishes a version."
  }

  assert {
    condition = (
      length(aws_lambda_alias.moved_by_terraform) == 1 && length(aws_lambda_alias.moved_by_codedeploy) == 0
      && aws_lambda_alias.moved_by_terraform[0].name == "live"
      && aws_lambda_alias.moved_by_terraform[0].function_name == "shop-test-product"
      && aws_lambda_alias.moved_by_terraform[0].function_version == "7"
    )
    error_message = "One alias live, on the version just published."
  }

  assert {
    condition = (
      output.alias_name == "live" && output.version == "7" && output.alias_version_owner == "terraform"
      && output.alias_arn == aws_lambda_alias.moved_by_terraform[0].arn
      && output.alias_invoke_arn == aws_lambda_alias.moved_by_terraform[0].invoke_arn
    )
    error_message = "The outputs name the alias that callers invoke and the newest version."
  }
}

# Where CodeDeploy owns it, the alias is made on the first version and Terraform ignores its version
# and weights from then on (the lifecycle block, which a plan cannot show: tests/terraform checks
# it in the source).
run "codedeploy_moves_the_alias" {
  variables {
    alias_version_owner = "codedeploy"
  }

  assert {
    condition = (
      length(aws_lambda_alias.moved_by_terraform) == 0 && length(aws_lambda_alias.moved_by_codedeploy) == 1
      && aws_lambda_alias.moved_by_codedeploy[0].name == "live"
      && aws_lambda_alias.moved_by_codedeploy[0].function_version == "7"
    )
    error_message = "One alias live, made on the function's version."
  }

  assert {
    condition = (
      output.alias_version_owner == "codedeploy" && output.version == "7"
      && output.alias_arn == aws_lambda_alias.moved_by_codedeploy[0].arn
      && output.alias_invoke_arn == aws_lambda_alias.moved_by_codedeploy[0].invoke_arn
    )
    error_message = "The outputs name the alias whichever resource holds it."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.dimensions.Resource == "shop-test-product:live"
    error_message = "The alarms watch the alias CodeDeploy shifts."
  }
}

# Values AWS would refuse fail at plan, each by its variable's validation.
run "bad_values_fail_at_plan" {
  command = plan

  variables {
    function_name            = "shop test product"
    policy_json              = "{\"Statement\": oops"
    alarm_actions            = []
    permissions_boundary_arn = "shop-test-function-boundary"
    alias_version_owner      = "both"
    alias_name               = "7"
  }

  expect_failures = [var.function_name, var.policy_json, var.alarm_actions, var.permissions_boundary_arn, var.alias_version_owner, var.alias_name]
}
