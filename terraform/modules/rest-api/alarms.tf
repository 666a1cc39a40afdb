# Alarms on the stage's metrics (AWS/ApiGateway, ApiName + Stage). Both notify alarm_actions when
# they go to ALARM and when they are back to OK; no data (no requests) is not a breach.

locals {
  alarm_period_seconds = 300
  alarm_dimensions = {
    ApiName = aws_api_gateway_rest_api.this.name
    Stage   = aws_api_gateway_stage.this.stage_name
  }
}

# 5XXError is 1 for a request answered with a 5XX and 0 otherwise: its Average is the error rate.
resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  alarm_name        = "${var.name}-5xx-rate"
  alarm_description = "More than ${format("%.4g", var.server_error_rate_alarm_threshold * 100)}% of the requests to ${var.name} (stage ${var.stage_name}) got a 5XX in ${var.alarm_evaluation_periods} x ${local.alarm_period_seconds} s. Filter the access log group ${aws_cloudwatch_log_group.access.name} on status >= 500 and read errorMessage and integrationStatus: 502 means the function failed (see its errors alarm and logs), 504 that it ran past 29 s. If it started with a deployment, redeploy the previous one."
  namespace         = "AWS/ApiGateway"
  metric_name       = "5XXError"
  dimensions        = local.alarm_dimensions

  statistic           = "Average"
  period              = local.alarm_period_seconds
  evaluation_periods  = var.alarm_evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.server_error_rate_alarm_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  alarm_name        = "${var.name}-latency-p99"
  alarm_description = "The p99 latency of ${var.name} (stage ${var.stage_name}) was above ${var.latency_p99_alarm_threshold_ms} ms in ${var.alarm_evaluation_periods} x ${local.alarm_period_seconds} s. Compare Latency with IntegrationLatency (the function's share) and the function's Duration and cold starts; the X-Ray traces of slow requests show which call (DynamoDB, EventBridge) is slow. Raise memory_size, or reserved concurrency if cold starts dominate."
  namespace         = "AWS/ApiGateway"
  metric_name       = "Latency"
  dimensions        = local.alarm_dimensions

  extended_statistic = "p99"
  period             = local.alarm_period_seconds
  evaluation_periods = var.alarm_evaluation_periods
  # "ignore" would keep the state below 1000 requests per period, i.e. always at this shop's traffic.
  evaluate_low_sample_count_percentiles = "evaluate"
  comparison_operator                   = "GreaterThanThreshold"
  threshold                             = var.latency_p99_alarm_threshold_ms
  treat_missing_data                    = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions
}
