# The basket module's releases: both functions (the basket API and the catalogue replica's consumer) publish versions and are
# invoked through their alias "live" (the API's integrations and its qualified permission, the
# event source mapping). Without deployment_config_name Terraform moves the aliases at once and
# nothing is left for `make deploy`; with one, CodeDeploy owns them: one application, one
# deployment group per function rolled back by its errors alarm (and the API's 5XX rate alarm for
# the API's function), and the `deployments` output that `make deploy` reads. The AWS provider is
# mocked.

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

override_data {
  target = data.aws_ssm_parameter.bus_name
  values = { insecure_value = "shop-test-events" }
}

override_data {
  target = data.aws_ssm_parameter.bus_arn
  values = { insecure_value = "arn:aws:events:us-east-1:123456789012:event-bus/shop-test-events" }
}

run "by_default_terraform_moves_the_aliases" {
  assert {
    condition     = module.function.alias_version_owner == "terraform" && module.catalogue_consumer_function.alias_version_owner == "terraform"
    error_message = "Without deployment_config_name, each apply moves both aliases to the versions it published."
  }

  assert {
    condition     = length(module.deployment) == 0 && output.deployments == {}
    error_message = "No CodeDeploy, and nothing for `make deploy` to shift."
  }

  assert {
    condition = module.api.integration == {
      function_name = "shop-test-basket"
      qualifier     = "live"
      uris          = tolist([module.function.alias_invoke_arn])
    }
    error_message = "Every integration invokes the function's alias, the one API Gateway may invoke: ${jsonencode(module.api.integration)}"
  }

  assert {
    condition     = aws_lambda_event_source_mapping.catalogue.function_name == module.catalogue_consumer_function.alias_arn && module.catalogue_consumer_function.alias_name == "live"
    error_message = "The event source mapping invokes the consumer's alias."
  }
}

run "codedeploy_shifts_the_aliases_where_configured" {
  variables {
    deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
  }

  assert {
    condition     = module.function.alias_version_owner == "codedeploy" && module.catalogue_consumer_function.alias_version_owner == "codedeploy"
    error_message = "With a deployment configuration, Terraform leaves both aliases' versions to CodeDeploy."
  }

  assert {
    condition = (
      module.deployment[0].application_name == "shop-test-basket"
      && module.deployment[0].deployment_group_names == {
        "shop-test-basket"                    = "shop-test-basket"
        "shop-test-basket-catalogue-consumer" = "shop-test-basket-catalogue-consumer"
      }
    )
    error_message = "One application for the service, one deployment group per function, named after it."
  }

  assert {
    condition = jsonencode(module.deployment[0].rollback_alarms) == jsonencode({
      "shop-test-basket"                    = sort(["shop-test-basket-errors", "shop-test-basket-5xx-rate"])
      "shop-test-basket-catalogue-consumer" = ["shop-test-basket-catalogue-consumer-errors"]
    })
    error_message = "The API's function rolls back on its errors and the API's 5XX rate, the other on its errors: ${jsonencode(module.deployment[0].rollback_alarms)}"
  }

  assert {
    condition = output.deployments == {
      "shop-test-basket" = {
        alias = "live", version = module.function.version, application = "shop-test-basket", deployment_group = "shop-test-basket"
      }
      "shop-test-basket-catalogue-consumer" = {
        alias = "live", version = module.catalogue_consumer_function.version, application = "shop-test-basket", deployment_group = "shop-test-basket-catalogue-consumer"
      }
    }
    error_message = "deployments names each function (as Lambda knows it), its alias, its newest version and its group: ${jsonencode(output.deployments)}"
  }

  assert {
    condition     = module.api.integration.qualifier == "live" && module.api.integration.uris == tolist([module.function.alias_invoke_arn]) && aws_lambda_event_source_mapping.catalogue.function_name == module.catalogue_consumer_function.alias_arn
    error_message = "The API and the event source mapping invoke the aliases CodeDeploy shifts."
  }
}

run "a_configuration_codedeploy_has_not_for_lambda_fails_at_plan" {
  command = plan

  variables {
    deployment_config_name = "CodeDeployDefault.AllAtOnce" # an EC2 configuration
  }

  expect_failures = [var.deployment_config_name]
}
