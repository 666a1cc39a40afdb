# GitHub Actions signs each job a token; AWS trusts it through this identity provider. The deploy
# roles (deploy_roles.tf) accept only tokens of this repository's jobs in one GitHub environment.

locals {
  github_oidc_url = "token.actions.githubusercontent.com"
  github_oidc_arn = "arn:${data.aws_partition.current.partition}:iam::${var.account_id}:oidc-provider/${local.github_oidc_url}"
}

data "aws_partition" "current" {}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]
  # No thumbprint_list: IAM trusts GitHub's certificate through its own root CAs.
}
