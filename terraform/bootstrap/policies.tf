# The deploy and plan policies, rendered from permissions.tf, plus what every role needs: its own
# state key, and the rules for the roles it makes (the environment's boundary on each).

locals {
  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket}"
  # The roles a component may create and pass, and to which service.
  passed_roles = {
    for key, role in local.roles : key => (
      role.component == "eventing"
      ? { arns = ["arn:${local.partition}:iam::${local.account}:role/${var.prefix}-${role.environment}-api-gateway-cloudwatch"], services = ["apigateway.amazonaws.com"] }
      : contains(["product", "basket", "order"], role.component)
      ? { arns = ["arn:${local.partition}:iam::${local.account}:role/${local.names[key]}*"], services = ["lambda.amazonaws.com", "codedeploy.amazonaws.com"] }
      : { arns = [], services = [] }
    )
  }
  # Known at plan (the policy's name and path are), so the rendered policies can be checked offline.
  boundary_arns = {
    for env in var.environments : env => "arn:${local.partition}:iam::${local.account}:policy${local.role_path}${var.prefix}-${env}-function-boundary"
  }
  tag_conditions = {
    for key, role in local.roles : key => { Component = role.component, Environment = role.environment }
  }
}

data "aws_iam_policy_document" "deploy" {
  for_each = local.roles

  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${each.value.environment}/${each.value.component}/*"]
    }
  }

  statement {
    sid       = "State"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket_arn}/${each.value.environment}/${each.value.component}/*"]
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "name" && length(concat(s.read, s.write, try(s.create, []))) > 0]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(concat(statement.value.read, statement.value.write, try(statement.value.create, []))))
      resources = statement.value.resources
    }
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "function"]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(concat(statement.value.read, statement.value.write)))
      resources = statement.value.resources

      condition {
        test     = "ArnLike"
        variable = "lambda:FunctionArn"
        values   = ["arn:${local.partition}:lambda:${local.region}:${local.account}:function:${local.names[each.key]}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "tag"]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(concat(statement.value.read, statement.value.write)))
      resources = statement.value.resources

      dynamic "condition" {
        for_each = local.tag_conditions[each.key]

        content {
          test     = "StringEquals"
          variable = "aws:ResourceTag/${condition.key}"
          values   = [condition.value]
        }
      }
    }
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "tag" && length(try(s.create, [])) > 0]

    content {
      sid       = "${statement.value.sid}Create"
      actions   = sort(statement.value.create)
      resources = statement.value.resources

      dynamic "condition" {
        for_each = local.tag_conditions[each.key]

        content {
          test     = "StringEquals"
          variable = "aws:RequestTag/${condition.key}"
          values   = [condition.value]
        }
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.passed_roles[each.key].arns) > 0 ? [1] : []

    content {
      sid       = "RolesWithinTheBoundary"
      actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]
      resources = local.passed_roles[each.key].arns

      condition {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = [local.boundary_arns[each.value.environment]]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.passed_roles[each.key].arns) > 0 ? [1] : []

    content {
      sid       = "PassOwnRoles"
      actions   = ["iam:PassRole"]
      resources = local.passed_roles[each.key].arns

      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = local.passed_roles[each.key].services
      }
    }
  }

  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "plan" {
  for_each = local.roles

  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${each.value.environment}/${each.value.component}/*"]
    }
  }

  statement {
    sid       = "StateRead"
    actions   = ["s3:GetObject"]
    resources = ["${local.state_bucket_arn}/${each.value.environment}/${each.value.component}/*"]
  }

  # A plan takes the state's lock: S3-native locking writes and deletes <key>.tflock.
  statement {
    sid       = "StateLock"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_bucket_arn}/${each.value.environment}/${each.value.component}/*.tflock"]
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "name" && length(s.read) > 0]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(statement.value.read))
      resources = statement.value.resources
    }
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "function" && length(s.read) > 0]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(statement.value.read))
      resources = statement.value.resources

      condition {
        test     = "ArnLike"
        variable = "lambda:FunctionArn"
        values   = ["arn:${local.partition}:lambda:${local.region}:${local.account}:function:${local.names[each.key]}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = [for s in local.statements[each.key] : s if s.by == "tag" && length(s.read) > 0]

    content {
      sid       = statement.value.sid
      actions   = sort(distinct(statement.value.read))
      resources = statement.value.resources

      dynamic "condition" {
        for_each = local.tag_conditions[each.key]

        content {
          test     = "StringEquals"
          variable = "aws:ResourceTag/${condition.key}"
          values   = [condition.value]
        }
      }
    }
  }
}
