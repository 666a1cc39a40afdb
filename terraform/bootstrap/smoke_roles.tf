# Per environment, the role the pipelines' smoke tests run with (after dev's apply): they read the
# environment's parameters (the APIs' URLs, the user pool), and make and remove their own
# short-lived users in the environment's user pool. Trusted for jobs in the GitHub environment
# <env>, as the deploy roles are.

data "aws_iam_policy_document" "smoke" {
  for_each = var.environments

  statement {
    sid       = "EnvironmentParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account}:parameter/${var.prefix}/${each.key}/*"]
  }

  statement {
    sid = "SmokeUsers"
    actions = [
      "cognito-idp:AdminCreateUser", "cognito-idp:AdminSetUserPassword", "cognito-idp:AdminAddUserToGroup",
      "cognito-idp:AdminGetUser", "cognito-idp:AdminDeleteUser",
    ]
    resources = ["arn:${local.partition}:cognito-idp:${local.region}:${local.account}:userpool/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Component"
      values   = ["identity"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }
}

resource "aws_iam_role" "smoke" {
  for_each = var.environments

  name                 = "${var.prefix}-${each.key}-smoke"
  path                 = local.role_path
  description          = "Runs the smoke tests against ${each.key} (GitHub environment ${each.key})"
  assume_role_policy   = data.aws_iam_policy_document.github_trust[each.key].json
  max_session_duration = 3600

  tags = { Environment = each.key }

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "smoke" {
  for_each = var.environments

  name   = "smoke"
  role   = aws_iam_role.smoke[each.key].id
  policy = data.aws_iam_policy_document.smoke[each.key].json
}
