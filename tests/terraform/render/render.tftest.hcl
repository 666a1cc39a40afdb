# Applies main.tf with tf-offline's stand-in, which renders every aws_iam_policy_document for real:
#   tf-offline test --data tests/terraform/render/parameters.json tests/terraform/render -json -verbose
# prints the resulting state, which the pytest tests read (tests/terraform/rendered.py).
#
# Run it with the stand-in only. Against the real provider these fake keys fail the provider's
# configuration (and allowed_account_ids is an account nobody owns), so nothing is ever created.
provider "aws" {
  region              = "us-east-1"
  access_key          = "offline-rendering-only"
  secret_key          = "offline-rendering-only"
  allowed_account_ids = ["123456789012"]
}

# The stand-in gives every resource of one type the same placeholder ARN; a policy must say which
# one it names, so every resource that a policy names gets its own ARN here, as AWS would make it.
# (A test fails, naming the resource, when a policy names one that is missing here.)
override_resource {
  target = module.eventing.aws_cloudwatch_event_bus.this
  values = { arn = "arn:aws:events:us-east-1:123456789012:event-bus/shop-dev-events" }
}

override_resource {
  target = module.monitoring.aws_sns_topic.alarms
  values = { arn = "arn:aws:sns:us-east-1:123456789012:shop-dev-alarms" }
}

override_resource {
  target = module.identity.aws_cognito_user_pool.this
  values = {
    id  = "us-east-1_Example01"
    arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example01"
  }
}

override_resource {
  target = module.product.aws_dynamodb_table.product
  values = {
    arn        = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-product"
    stream_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-product/stream/2026-12-02T00:00:00.000"
  }
}

override_resource {
  target = module.product.aws_sqs_queue.events_failed
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-product-events-failed" }
}

override_resource {
  target = module.product.module.publisher_function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-product-publisher" }
}

override_resource {
  target = module.basket.aws_dynamodb_table.catalogue
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-basket-catalogue" }
}

override_resource {
  target = module.basket.module.catalogue_consumer_function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-basket-catalogue-consumer" }
}

override_resource {
  target = module.basket.module.catalogue_subscription.aws_sqs_queue.this
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-basket-catalogue" }
}

override_resource {
  target = module.basket.module.catalogue_subscription.aws_sqs_queue.dlq
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-basket-catalogue-dlq" }
}

override_resource {
  target = module.basket.module.catalogue_subscription.aws_sqs_queue.delivery_dlq
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-basket-catalogue-delivery-dlq" }
}

override_resource {
  target = module.basket.module.catalogue_subscription.aws_cloudwatch_event_rule.this
  values = { arn = "arn:aws:events:us-east-1:123456789012:rule/shop-dev-events/shop-dev-basket-catalogue-product" }
}

override_resource {
  target = module.product.module.function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-product" }
}

override_resource {
  target = module.basket.aws_dynamodb_table.basket
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-basket" }
}

override_resource {
  target = module.basket.module.function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-basket" }
}

override_resource {
  target = module.order.aws_dynamodb_table.orders
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/shop-dev-orders" }
}

override_resource {
  target = module.order.module.api_function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-order-api" }
}

override_resource {
  target = module.order.module.consumer_function.aws_cloudwatch_log_group.this
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/shop-dev-order-consumer" }
}

override_resource {
  target = module.order.module.checkout_subscription.aws_sqs_queue.this
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-order-checkout" }
}

override_resource {
  target = module.order.module.checkout_subscription.aws_sqs_queue.dlq
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-order-checkout-dlq" }
}

override_resource {
  target = module.order.module.checkout_subscription.aws_sqs_queue.delivery_dlq
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:shop-dev-order-checkout-delivery-dlq" }
}

override_resource {
  target = module.order.module.checkout_subscription.aws_cloudwatch_event_rule.this
  values = { arn = "arn:aws:events:us-east-1:123456789012:rule/shop-dev-events/shop-dev-order-checkout-basket" }
}

override_resource {
  target = module.product.module.function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product/invocations"
  }
}

override_resource {
  target = module.basket.module.function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket/invocations"
  }
}

override_resource {
  target = module.order.module.api_function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-api"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-api/invocations"
  }
}

override_resource {
  target = module.order.module.consumer_function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-consumer"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-consumer/invocations"
  }
}

override_resource {
  target = module.product.module.publisher_function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product-publisher"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product-publisher/invocations"
  }
}

override_resource {
  target = module.basket.module.catalogue_consumer_function.aws_lambda_function.this
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket-catalogue-consumer"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket-catalogue-consumer/invocations"
  }
}

# The aliases that CodeDeploy shifts and the alarms that roll a shift back, named by the CodeDeploy
# roles' policies.

override_resource {
  target = module.product.module.function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product:live/invocations"
  }
}

override_resource {
  target = module.product.module.function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-product-errors" }
}

override_resource {
  target = module.product.module.publisher_function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product-publisher:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-product-publisher:live/invocations"
  }
}

override_resource {
  target = module.product.module.publisher_function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-product-publisher-errors" }
}

override_resource {
  target = module.basket.module.function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket:live/invocations"
  }
}

override_resource {
  target = module.basket.module.function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-basket-errors" }
}

override_resource {
  target = module.basket.module.catalogue_consumer_function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket-catalogue-consumer:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-basket-catalogue-consumer:live/invocations"
  }
}

override_resource {
  target = module.basket.module.catalogue_consumer_function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-basket-catalogue-consumer-errors" }
}

override_resource {
  target = module.order.module.api_function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-api:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-api:live/invocations"
  }
}

override_resource {
  target = module.order.module.api_function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-order-api-errors" }
}

override_resource {
  target = module.order.module.consumer_function.aws_lambda_alias.moved_by_codedeploy
  values = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-consumer:live"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-order-consumer:live/invocations"
  }
}

override_resource {
  target = module.order.module.consumer_function.aws_cloudwatch_metric_alarm.errors
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-order-consumer-errors" }
}

override_resource {
  target = module.product.module.api.aws_cloudwatch_metric_alarm.server_error_rate
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-product-5xx-rate" }
}

override_resource {
  target = module.basket.module.api.aws_cloudwatch_metric_alarm.server_error_rate
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-basket-5xx-rate" }
}

override_resource {
  target = module.order.module.api.aws_cloudwatch_metric_alarm.server_error_rate
  values = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-dev-order-5xx-rate" }
}

run "dev" {
  command = apply

  assert {
    condition     = module.eventing.bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/shop-dev-events"
    error_message = "The bus the services read (parameters.json) is not the one eventing makes: ${module.eventing.bus_arn}"
  }
}
