# Only the owner of an event source publishes its events on the shared bus: PutEvents of an
# event with source shop.basket is denied to every principal but the basket function's role, and
# of an event with source shop.product to every principal but the product publisher's role. A
# consumer trusts the source of an event because nobody else can put it there.
#
# Principals of this account need no Allow here (their IAM policies grant PutEvents), and no
# other account is granted anything, so the policy only denies. EventBridge authorizes each entry
# of a PutEvents call with its own source (a refused entry fails alone, with ErrorCode
# NotAuthorizedForSourceException), so one call cannot slip a forged entry in beside a lawful one.
#
# Eventing is applied before the services, so the roles cannot be read: their ARNs follow from the
# naming convention (terraform/modules/lambda-function names a function's role after the function,
# <prefix>-<environment>-<service>[-<part>], with no path), and a role made later under that name
# is the one allowed. Should a role be recreated, the Deny keeps matching its new instance:
# aws:PrincipalArn is the role's ARN, not its unique id.

data "aws_caller_identity" "current" {}

locals {
  role_arn_prefix = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role"
  # The roles of the functions that alone may publish each source: the basket function (checkout),
  # the product publisher (the product table's stream).
  basket_events_publisher  = "${local.role_arn_prefix}/${local.name_prefix}-basket"
  product_events_publisher = "${local.role_arn_prefix}/${local.name_prefix}-product-publisher"
}

data "aws_iam_policy_document" "bus" {
  statement {
    sid       = "OnlyTheBasketFunctionPublishesBasketEvents"
    effect    = "Deny"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = ["shop.basket"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [local.basket_events_publisher]
    }
  }

  statement {
    sid       = "OnlyTheProductPublisherPublishesProductEvents"
    effect    = "Deny"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = ["shop.product"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [local.product_events_publisher]
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = data.aws_iam_policy_document.bus.json
}
