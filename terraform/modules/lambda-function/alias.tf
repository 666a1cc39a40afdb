# The alias every caller invokes (API Gateway's integration and permission, event source
# mappings), and that the alarms watch. Its version has one owner:
#
# - "terraform": every apply moves it, at once, to the version the apply published;
# - "codedeploy": Terraform creates it on the first version and then leaves its version and its
#   traffic weights to CodeDeploy (terraform/modules/lambda-deployment), which shifts it to the
#   newest version in steps and back if an alarm fires.
#
# lifecycle cannot depend on a variable, hence two resources of which count keeps one. Changing the
# owner of an existing function replaces its alias unless the state is moved first (README.md).

resource "aws_lambda_alias" "moved_by_terraform" {
  count = var.alias_version_owner == "terraform" ? 1 : 0

  name             = var.alias_name
  description      = "What every caller invokes; Terraform moves it to each new version"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_alias" "moved_by_codedeploy" {
  count = var.alias_version_owner == "codedeploy" ? 1 : 0

  name             = var.alias_name
  description      = "What every caller invokes; CodeDeploy shifts it to each new version"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version # its first version only

  lifecycle {
    # CodeDeploy's: the version being served, and the weights of a canary in progress.
    ignore_changes = [function_version, routing_config]
  }
}

locals {
  alias = one(concat(aws_lambda_alias.moved_by_terraform, aws_lambda_alias.moved_by_codedeploy))
}
