# Per environment and component, two roles for the pipelines (permissions.tf says what each may do):
# - <prefix>-<env>-<component>-deploy applies: trusted only for jobs of github_repository in the
#   GitHub environment <env> (which, in prod, has required reviewers);
# - <prefix>-<env>-<component>-plan reads and plans: trusted only for jobs in the GitHub
#   environment <env>-plan, so that planning prod needs no approval and can change nothing.
# Both live under the IAM path /<prefix>-deploy/, outside every component's name pattern, so no
# deploy role can change a deploy role. Every role a deploy role creates must carry the
# environment's permissions boundary (boundary.tf), so a deploy role cannot hand a function more
# than the boundary allows.

locals {
  role_path = "/${var.prefix}-deploy/"
  # What each component's root manages; deploy roles exist for exactly these.
  components = toset(["eventing", "monitoring", "identity", "product", "basket", "order"])
  roles = {
    for pair in setproduct(var.environments, local.components) :
    "${pair[0]}/${pair[1]}" => { environment = pair[0], component = pair[1] }
  }
  github_subject = "repo:${var.github_repository}:environment"
}

# One trust policy per GitHub environment: <env> (deploy and smoke roles) and <env>-plan (plan roles).
data "aws_iam_policy_document" "github_trust" {
  #checkov:skip=CKV_AWS_358:sub is exactly repo:<owner>/<name>:environment:<env> (github_repository is validated as owner/name); checkov cannot resolve the variable and reads it as a wildcard repository.
  for_each = toset(flatten([for env in var.environments : [env, "${env}-plan"]]))

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = ["${local.github_subject}:${each.key}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each = local.roles

  name                 = "${var.prefix}-${each.value.environment}-${each.value.component}-deploy"
  path                 = local.role_path
  description          = "Applies the ${each.value.component} root of ${each.value.environment} (GitHub environment ${each.value.environment})"
  assume_role_policy   = data.aws_iam_policy_document.github_trust[each.value.environment].json
  max_session_duration = 3600

  tags = { Environment = each.value.environment }

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "deploy" {
  for_each = local.roles

  name   = "deploy"
  role   = aws_iam_role.deploy[each.key].id
  policy = data.aws_iam_policy_document.deploy[each.key].json
}

resource "aws_iam_role" "plan" {
  for_each = local.roles

  name                 = "${var.prefix}-${each.value.environment}-${each.value.component}-plan"
  path                 = local.role_path
  description          = "Plans the ${each.value.component} root of ${each.value.environment}, read-only (GitHub environment ${each.value.environment}-plan)"
  assume_role_policy   = data.aws_iam_policy_document.github_trust["${each.value.environment}-plan"].json
  max_session_duration = 3600

  tags = { Environment = each.value.environment }

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "plan" {
  for_each = local.roles

  name   = "plan"
  role   = aws_iam_role.plan[each.key].id
  policy = data.aws_iam_policy_document.plan[each.key].json
}
