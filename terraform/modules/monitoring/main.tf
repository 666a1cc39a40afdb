# The environment's alarm topic (every alarm of the services notifies it), the parameter that
# publishes it, and the environment's dashboard (dashboard.tf).

locals {
  name_prefix = "${var.prefix}-${var.environment}"
  topic_name  = "${local.name_prefix}-alarms"
  # Built from its parts: the key policy names the topic, and the topic names the key.
  topic_arn = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:${local.topic_name}"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# A customer managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS
# managed key alias/aws/sns, whose key policy does not let cloudwatch.amazonaws.com use it.
data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is this key only; the account statement is the default that delegates access to IAM policies.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is this key only; the account statement is the default that delegates access to IAM policies.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is this key only; a key policy cannot name the key it is attached to.
  statement {
    sid       = "AccountAdministersTheKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToTheTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the messages of the ${local.topic_name} topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_sns_topic" "alarms" {
  name              = local.topic_name
  display_name      = "${local.name_prefix} alarms"
  kms_master_key_id = aws_kms_key.this.arn
}

# Only CloudWatch alarms of this account publish; IAM policies still govern the account's principals.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccountPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

# Each address receives a confirmation email and gets alarms only once it confirms.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# Services read this (data "aws_ssm_parameter"), never this root's state.
resource "aws_ssm_parameter" "alarm_topic_arn" {
  #checkov:skip=CKV2_AWS_34:The value is a resource ARN, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "/${var.prefix}/${var.environment}/monitoring/alarm-topic-arn"
  description = "ARN of the SNS topic that the ${local.name_prefix} alarms notify"
  type        = "String"
  value       = aws_sns_topic.alarms.arn
}
