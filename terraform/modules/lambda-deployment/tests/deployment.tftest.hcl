# The lambda-deployment module's contract: one CodeDeploy application for a service, one deployment
# group per function that shifts its alias as configured and rolls back on its alarms, a failure
# or a stop, and a role that only CodeDeploy may assume, for these groups, within the environment's
# boundary, allowed only these aliases and alarms; the `deployments` output that `make deploy`
# reads. The AWS provider is mocked: no cloud, no account.

mock_provider "aws" {}

variables {
  application_name         = "shop-test-order"
  deployment_config_name   = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/shop-deploy/shop-test-function-boundary"
  functions = {
    "shop-test-order-api" = {
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api"
      alias_name   = "live"
      alias_arn    = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api:live"
      version      = "8"
      alarms = {
        "shop-test-order-api-errors" = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-api-errors"
        "shop-test-order-5xx-rate"   = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-5xx-rate"
      }
    }
    "shop-test-order-consumer" = {
      function_arn = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-consumer"
      alias_name   = "live"
      alias_arn    = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-consumer:live"
      version      = "3"
      alarms = {
        "shop-test-order-consumer-errors" = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-consumer-errors"
      }
    }
  }
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
  target = aws_iam_role.this
  values = { arn = "arn:aws:iam::123456789012:role/shop-test-order-codedeploy", id = "shop-test-order-codedeploy" }
}

run "one_application_and_a_group_per_function" {
  assert {
    condition     = aws_codedeploy_app.this.name == "shop-test-order" && aws_codedeploy_app.this.compute_platform == "Lambda"
    error_message = "One Lambda application per service, named after it."
  }

  assert {
    condition = (
      keys(aws_codedeploy_deployment_group.this) == ["shop-test-order-api", "shop-test-order-consumer"]
      && alltrue([
        for name, group in aws_codedeploy_deployment_group.this :
        group.deployment_group_name == name && group.app_name == "shop-test-order"
        && group.service_role_arn == aws_iam_role.this.arn
        && group.deployment_config_name == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
      ])
    )
    error_message = "One deployment group per function, named after it, shifting with the configuration given, as the module's role."
  }

  assert {
    condition = alltrue([
      for group in values(aws_codedeploy_deployment_group.this) :
      group.deployment_style[0].deployment_type == "BLUE_GREEN" && group.deployment_style[0].deployment_option == "WITH_TRAFFIC_CONTROL"
    ])
    error_message = "A Lambda deployment is blue/green with traffic control: the alias's weights move between versions."
  }

  assert {
    condition = alltrue([
      for group in values(aws_codedeploy_deployment_group.this) :
      group.auto_rollback_configuration[0].enabled
      && group.auto_rollback_configuration[0].events == toset(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"])
    ])
    error_message = "A failed, alarmed or stopped deployment puts the alias back on the version it served."
  }

  assert {
    condition = (
      aws_codedeploy_deployment_group.this["shop-test-order-api"].alarm_configuration[0].alarms == toset(["shop-test-order-api-errors", "shop-test-order-5xx-rate"])
      && aws_codedeploy_deployment_group.this["shop-test-order-consumer"].alarm_configuration[0].alarms == toset(["shop-test-order-consumer-errors"])
      && alltrue([
        for group in values(aws_codedeploy_deployment_group.this) :
        group.alarm_configuration[0].enabled && !group.alarm_configuration[0].ignore_poll_alarm_failure
      ])
    )
    error_message = "Each group watches exactly its function's alarms, and an alarm it cannot read stops the deployment."
  }

  assert {
    condition = jsonencode(output.rollback_alarms) == jsonencode({
      "shop-test-order-api"      = ["shop-test-order-5xx-rate", "shop-test-order-api-errors"]
      "shop-test-order-consumer" = ["shop-test-order-consumer-errors"]
    })
    error_message = "The output names each group's alarms."
  }
}

run "the_role_only_codedeploy_assumes_for_these_groups" {
  assert {
    condition = (
      aws_iam_role.this.name == "shop-test-order-codedeploy"
      && aws_iam_role.this.permissions_boundary == var.permissions_boundary_arn
      && aws_iam_role.this.assume_role_policy == data.aws_iam_policy_document.assume_role.json
    )
    error_message = "The role <application>-codedeploy carries the environment's boundary."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.assume_role.statement[0].actions == toset(["sts:AssumeRole"])
      && one(data.aws_iam_policy_document.assume_role.statement[0].principals).identifiers == toset(["codedeploy.amazonaws.com"])
      && toset([for c in data.aws_iam_policy_document.assume_role.statement[0].condition : "${c.test} ${c.variable} ${join(" ", c.values)}"]) == toset([
        "StringEquals aws:SourceAccount 123456789012",
        "ArnEquals aws:SourceArn arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:shop-test-order/shop-test-order-api arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:shop-test-order/shop-test-order-consumer",
      ])
    )
    error_message = "Only CodeDeploy, for this account's deployment groups of this application, assumes the role."
  }

  assert {
    condition     = aws_iam_role_policy.this.role == aws_iam_role.this.id && aws_iam_role_policy.this.policy == data.aws_iam_policy_document.this.json
    error_message = "The role's one inline policy is the module's document."
  }

  assert {
    condition = {
      for s in data.aws_iam_policy_document.this.statement : s.sid => [s.actions, s.resources]
      } == {
      ShiftTheAliases = [toset(["lambda:GetAlias", "lambda:UpdateAlias"]), toset([
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api",
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api:live",
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-consumer",
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-consumer:live",
      ])]
      ReadTheAliasesProvisionedConcurrency = [toset(["lambda:GetProvisionedConcurrencyConfig"]), toset([
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api:live",
        "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-consumer:live",
      ])]
      ReadTheRollbackAlarms = [toset(["cloudwatch:DescribeAlarms"]), toset([
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-5xx-rate",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-api-errors",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-test-order-consumer-errors",
      ])]
    }
    error_message = "The role may move only these aliases and read only their rollback alarms."
  }
}

run "what_make_deploy_reads" {
  assert {
    condition = output.deployments == {
      "shop-test-order-api" = {
        alias = "live", version = "8", application = "shop-test-order", deployment_group = "shop-test-order-api"
      }
      "shop-test-order-consumer" = {
        alias = "live", version = "3", application = "shop-test-order", deployment_group = "shop-test-order-consumer"
      }
    }
    error_message = "deployments gives, per function, what scripts/deploy/traffic.py's Target takes: ${jsonencode(output.deployments)}"
  }
}

run "bad_values_fail_at_plan" {
  command = plan

  variables {
    application_name       = "shop-test-a-service-name-that-leaves-no-room-for-its-role"
    deployment_config_name = "CodeDeployDefault.AllAtOnce" # an EC2 configuration
    functions = {
      "shop-test-order-api" = {
        function_arn = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api"
        alias_name   = "live"
        alias_arn    = "arn:aws:lambda:us-east-1:123456789012:function:shop-test-order-api:live"
        version      = "8"
        alarms       = {}
      }
    }
  }

  expect_failures = [var.application_name, var.deployment_config_name, var.functions]
}
