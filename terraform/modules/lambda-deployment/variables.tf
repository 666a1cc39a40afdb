variable "application_name" {
  description = "Name of the CodeDeploy application: the service's name, <prefix>-<env>-<service>; also names the role <name>-codedeploy."
  type        = string

  validation {
    # The role's name, <name>-codedeploy, must fit IAM's 64 characters.
    condition     = can(regex("^[A-Za-z0-9_.-]{1,53}$", var.application_name))
    error_message = "application_name must be 1-53 letters, digits, dots, hyphens or underscores (the role <name>-codedeploy has at most 64)."
  }
}

variable "deployment_config_name" {
  description = "How each deployment shifts an alias: one of CodeDeploy's predefined Lambda configurations, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes (10% of the traffic for 5 minutes, then all of it)."
  type        = string

  validation {
    condition = contains([
      "CodeDeployDefault.LambdaAllAtOnce",
      "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      "CodeDeployDefault.LambdaCanary10Percent10Minutes",
      "CodeDeployDefault.LambdaCanary10Percent15Minutes",
      "CodeDeployDefault.LambdaCanary10Percent30Minutes",
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
      "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
      "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
      "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
    ], var.deployment_config_name)
    error_message = "deployment_config_name must be one of CodeDeploy's predefined Lambda configurations (CodeDeployDefault.LambdaCanary10Percent5Minutes, CodeDeployDefault.LambdaLinear10PercentEvery1Minute, CodeDeployDefault.LambdaAllAtOnce...)."
  }
}

variable "functions" {
  description = "The service's functions, by name (each one's deployment group is named after it): the ARNs of the function and of its alias (whose version CodeDeploy owns), the newest published version, and the alarms (name => ARN) that roll a shift back."
  type = map(object({
    function_arn = string
    alias_name   = string
    alias_arn    = string
    version      = string
    alarms       = map(string)
  }))

  validation {
    condition     = length(var.functions) > 0
    error_message = "functions must name at least one function."
  }

  validation {
    # CodeDeploy takes at most 10 alarms per deployment group.
    condition     = alltrue([for function in values(var.functions) : length(function.alarms) >= 1 && length(function.alarms) <= 10])
    error_message = "Every function needs 1 to 10 alarms: a shift nothing can stop is no canary, and CodeDeploy takes at most 10."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the environment's permissions boundary, put on the CodeDeploy role (terraform/bootstrap publishes it as /<prefix>/<env>/bootstrap/function-boundary-arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an ARN (of an IAM policy), not a name."
  }
}
