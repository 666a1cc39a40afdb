# Releases (terraform/README.md, "Releasing a function"). Every function publishes a version on
# each change, and its alias "live" is what the API and the event source mappings invoke. Without
# deployment_config_name (dev), each apply moves the aliases at once to the versions it published.
# With one (prod), Terraform leaves the aliases' versions to CodeDeploy: `make deploy` has it shift
# each alias to the newest version as configured (10% for 5 minutes, then all...), rolled back by
# the function's errors alarm or, for the API's function, the API's 5XX alarm.

locals {
  alias_version_owner = var.deployment_config_name == null ? "terraform" : "codedeploy"
}

module "deployment" {
  source = "../lambda-deployment"
  count  = var.deployment_config_name == null ? 0 : 1

  application_name         = local.name
  deployment_config_name   = var.deployment_config_name
  permissions_boundary_arn = data.aws_ssm_parameter.permissions_boundary_arn.insecure_value

  functions = {
    # The API's function also rolls back on the API's 5XX alarm.
    ("${local.name}-api") = merge(module.api_function.deployment_target, {
      alarms = merge(module.api_function.deployment_target.alarms, {
        (module.api.alarm_names.server_error_rate) = module.api.alarm_arns.server_error_rate
      })
    })
    ("${local.name}-consumer") = module.consumer_function.deployment_target
  }
}
