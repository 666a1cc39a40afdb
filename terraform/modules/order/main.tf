# The order service: its table, the order API (function + REST API) and the consumer that
# turns CheckoutBasket events into orders (subscription queue + event source mapping).

locals {
  name          = "${var.prefix}-${var.environment}-order"
  alarm_actions = [coalesce(var.alarm_topic_arn, one(data.aws_ssm_parameter.alarm_topic_arn[*].insecure_value))]

  environment_variables = {
    TABLE_NAME                   = aws_dynamodb_table.order.name
    POWERTOOLS_SERVICE_NAME      = "order"
    POWERTOOLS_METRICS_NAMESPACE = "${var.prefix}-${var.environment}"
    POWERTOOLS_LOG_LEVEL         = var.log_level
  }

  # The API acts for signed-in callers: it also needs the name of the admin group.
  caller_environment_variables = {
    ADMIN_GROUP = data.aws_ssm_parameter.admin_group.insecure_value
  }
  api_environment_variables = merge(local.environment_variables, local.caller_environment_variables)
}

# The environment's alarm topic: given, or published by the monitoring root.
data "aws_ssm_parameter" "alarm_topic_arn" {
  count = var.alarm_topic_arn == null ? 1 : 0

  name = "/${var.prefix}/${var.environment}/monitoring/alarm-topic-arn"
}

data "aws_ssm_parameter" "bus_name" {
  name = "/${var.prefix}/${var.environment}/eventing/bus-name"
}

# The shop's user pool and its admin group, published by the identity root.
data "aws_ssm_parameter" "user_pool_arn" {
  name = "/${var.prefix}/${var.environment}/identity/user-pool-arn"
}

data "aws_ssm_parameter" "admin_group" {
  name = "/${var.prefix}/${var.environment}/identity/admin-group"
}

resource "aws_dynamodb_table" "order" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (server_side_encryption); no cross-account access or key policy needs a customer managed key.
  name                        = local.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "userName"
  range_key                   = "orderKey"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "userName"
    type = "S"
  }

  attribute {
    name = "orderKey"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}
