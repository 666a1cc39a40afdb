# Alarms on the function's own metrics (AWS/Lambda, FunctionName). Both notify alarm_actions when
# they go to ALARM and when they are back to OK; no data (no invocations) is not a breach.

locals {
  alarm_period_seconds = 300
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name        = "${var.function_name}-errors"
  alarm_description = "${var.function_name} failed (unhandled exception or timeout) more than ${var.errors_alarm_threshold} time(s) in ${var.alarm_evaluation_periods} x ${local.alarm_period_seconds} s. Search its log group ${aws_cloudwatch_log_group.this.name} for level ERROR and open the X-Ray traces of the failed invocations; if it started with a deployment, redeploy the previous package."
  namespace         = "AWS/Lambda"
  metric_name       = "Errors"
  dimensions = {
    FunctionName = aws_lambda_function.this.function_name
  }

  statistic           = "Sum"
  period              = local.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.errors_alarm_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name        = "${var.function_name}-throttles"
  alarm_description = "Lambda rejected invocations of ${var.function_name} because its reserved concurrency or the account's concurrency limit was reached (API requests failed; queue messages go back to the queue and are retried). Compare ConcurrentExecutions with the limit: raise reserved_concurrent_executions or the account quota, or lower the caller's rate (API stage throttling, event source maximum_concurrency)."
  namespace         = "AWS/Lambda"
  metric_name       = "Throttles"
  dimensions = {
    FunctionName = aws_lambda_function.this.function_name
  }

  statistic           = "Sum"
  period              = local.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}
