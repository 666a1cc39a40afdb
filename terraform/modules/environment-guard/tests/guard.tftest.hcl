# The state remembers its environment; values of another fail the plan. No provider involved.

run "first_apply_records_the_environment" {
  variables {
    environment = "prod"
  }

  assert {
    condition     = output.environment == "prod"
    error_message = "The state must record the environment it was applied with."
  }
}

run "the_same_environment_plans" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = output.environment == "prod"
    error_message = "A plan with the state's own environment must pass."
  }
}

run "another_environments_values_fail_the_plan" {
  command = plan

  variables {
    environment = "dev"
  }

  expect_failures = [terraform_data.environment]
}

run "a_bad_environment_name_is_refused" {
  command = plan

  variables {
    environment = "Prod!"
  }

  expect_failures = [var.environment]
}
