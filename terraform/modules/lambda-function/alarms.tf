# Alarms on the metrics of the function's alias (AWS/Lambda, FunctionName + Resource
# "<function>:<alias>"): every invocation goes through the alias, whichever versions it serves, so
# CodeDeploy can roll a shift back on them. Both notify alarm_actions when they go to ALARM and
# when they are back to OK; no data (no invocations) is not a breach.

locals {
  alarm_period_seconds = 300
  alarm_dimensions = {
    FunctionName = aws_lambda_function.this.function_name
    Resource     = "${aws_lambda_function.this.function_name}:${local.alias.name}"
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name        = "${var.function_name}-errors"
  alarm_description = "${var.function_name}:${var.alias_name} failed (unhandled exception or timeout) more than ${var.errors_alarm_threshold} time(s) in ${var.alarm_evaluation_periods} x ${local.alarm_period_seconds} s. Search its log group ${aws_cloudwatch_log_group.this.name} for level ERROR and open the X-Ray traces of the failed invocations. During a CodeDeploy shift this alarm puts the alias back on its previous version by itself; if it started after a deployment, put the alias back by hand (terraform/README.md, Releasing a function)."
  namespace         = "AWS/Lambda"
  metric_name       = "Errors"
  dimensions        = local.alarm_dimensions

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
  alarm_description = "Lambda rejected invocations of ${var.function_name}:${var.alias_name} because its reserved concurrency or the account's concurrency limit was reached (API requests failed; queue messages go back to the queue and are retried). Compare ConcurrentExecutions with the limit: raise reserved_concurrent_executions or the account quota, or lower the caller's rate (API stage throttling, event source maximum_concurrency)."
  namespace         = "AWS/Lambda"
  metric_name       = "Throttles"
  dimensions        = local.alarm_dimensions

  statistic           = "Sum"
  period              = local.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}
