# The order service: its table, the order API (function + REST API) and the consumer that
# turns CheckoutBasket events into orders (subscription queue + event source mapping).

locals {
  name          = "${var.prefix}-${var.environment}-order"
  user_index    = "user-index"
  alarm_actions = [coalesce(var.alarm_topic_arn, one(data.aws_ssm_parameter.alarm_topic_arn[*].insecure_value))]

  environment_variables = {
    TABLE_NAME                   = aws_dynamodb_table.orders.name
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

# The environment's permissions boundary, published by terraform/bootstrap: every role this module
# makes carries it (the deploy roles may create roles only with it).
data "aws_ssm_parameter" "permissions_boundary_arn" {
  name = "/${var.prefix}/${var.environment}/bootstrap/function-boundary-arn"
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

# One item per order, keyed on its id, the checkout id: one order per checkout is the key itself
# (services/order/order/repository.py says why). user-index lists one user's orders by date.
resource "aws_dynamodb_table" "orders" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (server_side_encryption); no cross-account access or key policy needs a customer managed key.
  name                        = "${var.prefix}-${var.environment}-orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "orderId"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "orderId"
    type = "S"
  }

  attribute {
    name = "userName"
    type = "S"
  }

  # "<orderDate>#<orderId>": newest first, and day or range queries, on user-index.
  attribute {
    name = "orderKey"
    type = "S"
  }

  global_secondary_index {
    name            = local.user_index
    hash_key        = "userName"
    range_key       = "orderKey"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

# The table that orders were kept in before they were keyed on their id (<prefix>-<env>-order,
# keyed on userName and orderKey). Terraform forgets it without deleting it: copy its orders
# with scripts/migrate_orders.py, then delete it by hand (README: "Moving orders").
removed {
  from = aws_dynamodb_table.order

  lifecycle {
    destroy = false
  }
}
