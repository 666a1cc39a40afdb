# The subscription module's contract: the rule delivers to the queue, a message the consumer
# keeps failing goes to <name>-dlq and an event EventBridge cannot deliver to <name>-delivery-dlq,
# the visibility timeout is six times the consumer's timeout, and only this rule may send to the
# queue and the delivery DLQ. The AWS provider is mocked: no cloud, no account.

mock_provider "aws" {}

variables {
  name                     = "shop-test-order-checkout"
  rule_name                = "shop-test-order-checkout-basket"
  event_bus_name           = "shop-test-events"
  event_pattern            = "{\"source\":[\"shop.basket\"],\"detail-type\":[\"CheckoutBasket\"]}"
  consumer_timeout_seconds = 30
  alarm_actions            = ["arn:aws:sns:us-east-1:123456789012:shop-test-alarms"]
}

override_resource {
  target = aws_sqs_queue.this
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:shop-test-order-checkout"
    id  = "https://sqs.us-east-1.amazonaws.com/123456789012/shop-test-order-checkout"
  }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:shop-test-order-checkout-dlq"
    id  = "https://sqs.us-east-1.amazonaws.com/123456789012/shop-test-order-checkout-dlq"
  }
}

override_resource {
  target = aws_sqs_queue.delivery_dlq
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:shop-test-order-checkout-delivery-dlq"
    id  = "https://sqs.us-east-1.amazonaws.com/123456789012/shop-test-order-checkout-delivery-dlq"
  }
}

override_resource {
  target = aws_cloudwatch_event_rule.this
  values = { arn = "arn:aws:events:us-east-1:123456789012:rule/shop-test-events/shop-test-order-checkout-basket" }
}

run "delivery" {
  assert {
    condition = (
      aws_cloudwatch_event_rule.this.event_bus_name == "shop-test-events"
      && aws_cloudwatch_event_rule.this.event_pattern == var.event_pattern
      && aws_cloudwatch_event_rule.this.state == "ENABLED"
    )
    error_message = "The rule listens on the bus for the pattern given."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.rule == aws_cloudwatch_event_rule.this.name
      && aws_cloudwatch_event_target.this.arn == aws_sqs_queue.this.arn
      && aws_cloudwatch_event_target.this.target_id == "sqs-shop-test-order-checkout"
    )
    error_message = "The rule's target is the queue."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.dead_letter_config[0].arn == aws_sqs_queue.delivery_dlq.arn
      && aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 185
      && aws_cloudwatch_event_target.this.retry_policy[0].maximum_event_age_in_seconds == 86400
    )
    error_message = "Events EventBridge cannot deliver within its retries go to the delivery DLQ."
  }
}

run "redrive" {
  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 6 * var.consumer_timeout_seconds
    error_message = "The visibility timeout is six times the consumer's timeout, as AWS advises for Lambda event sources."
  }

  assert {
    condition = jsondecode(aws_sqs_queue.this.redrive_policy) == {
      deadLetterTargetArn = "arn:aws:sqs:us-east-1:123456789012:shop-test-order-checkout-dlq"
      maxReceiveCount     = 5
    }
    error_message = "A message received 5 times moves to <name>-dlq."
  }

  assert {
    condition = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy) == {
      redrivePermission = "byQueue"
      sourceQueueArns   = ["arn:aws:sqs:us-east-1:123456789012:shop-test-order-checkout"]
    }
    error_message = "Only the queue may use the DLQ."
  }

  assert {
    condition = alltrue([
      for queue in [aws_sqs_queue.this, aws_sqs_queue.dlq, aws_sqs_queue.delivery_dlq] : queue.sqs_managed_sse_enabled
    ])
    error_message = "Every queue is encrypted."
  }

  assert {
    condition     = aws_sqs_queue.dlq.name == "shop-test-order-checkout-dlq" && aws_sqs_queue.delivery_dlq.name == "shop-test-order-checkout-delivery-dlq"
    error_message = "The DLQs are named after the queue."
  }
}

run "only_the_rule_sends" {
  assert {
    condition = (
      aws_sqs_queue_policy.this.queue_url == aws_sqs_queue.this.id
      && aws_sqs_queue_policy.this.policy == data.aws_iam_policy_document.send_from_rule["queue"].json
      && aws_sqs_queue_policy.delivery_dlq.queue_url == aws_sqs_queue.delivery_dlq.id
      && aws_sqs_queue_policy.delivery_dlq.policy == data.aws_iam_policy_document.send_from_rule["delivery_dlq"].json
    )
    error_message = "The queue and the delivery DLQ each carry their policy."
  }

  assert {
    condition = alltrue([
      for key, queue in { queue = aws_sqs_queue.this, delivery_dlq = aws_sqs_queue.delivery_dlq } :
      data.aws_iam_policy_document.send_from_rule[key].statement[0].actions == toset(["sqs:SendMessage"])
      && data.aws_iam_policy_document.send_from_rule[key].statement[0].resources == toset([queue.arn])
      && one(data.aws_iam_policy_document.send_from_rule[key].statement[0].principals).identifiers == toset(["events.amazonaws.com"])
    ])
    error_message = "EventBridge may send to each, and only send."
  }

  assert {
    condition = alltrue([
      for key in ["queue", "delivery_dlq"] :
      one(data.aws_iam_policy_document.send_from_rule[key].statement[0].condition) == {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = tolist(["arn:aws:events:us-east-1:123456789012:rule/shop-test-events/shop-test-order-checkout-basket"])
      }
    ])
    error_message = "Only for this rule (aws:SourceArn)."
  }
}

run "alarms" {
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.dlq_not_empty.dimensions.QueueName == aws_sqs_queue.dlq.name
      && aws_cloudwatch_metric_alarm.delivery_dlq_not_empty.dimensions.QueueName == aws_sqs_queue.delivery_dlq.name
      && aws_cloudwatch_metric_alarm.oldest_message_age.dimensions.QueueName == aws_sqs_queue.this.name
    )
    error_message = "One alarm per DLQ, one on the queue's oldest message."
  }
}

run "a_name_whose_target_id_is_over_64_characters_fails_at_plan" {
  command = plan

  variables {
    name = join("", [for i in range(61) : "q"])
  }

  expect_failures = [var.name]
}

run "the_longest_name_fits" {
  command = plan

  variables {
    name = join("", [for i in range(60) : "q"])
  }

  assert {
    condition     = length(aws_cloudwatch_event_target.this.target_id) == 64 && length(aws_sqs_queue.delivery_dlq.name) <= 80
    error_message = "A 60-character name gives a 64-character target id."
  }
}
