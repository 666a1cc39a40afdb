# The shared event bus, its archive, the schema registry and the parameters that publish them.

locals {
  name_prefix    = "${var.prefix}-${var.environment}"
  parameter_path = "/${var.prefix}/${var.environment}/eventing"
}

resource "aws_cloudwatch_event_bus" "this" {
  name        = "${local.name_prefix}-events"
  description = "Events shared between the ${local.name_prefix} services"
}

# Every event that reaches the bus, kept for replay.
resource "aws_cloudwatch_event_archive" "this" {
  name             = "${local.name_prefix}-events"
  description      = "Events of ${aws_cloudwatch_event_bus.this.name}, for replay"
  event_source_arn = aws_cloudwatch_event_bus.this.arn
  retention_days   = var.archive_retention_days
}

resource "aws_schemas_registry" "this" {
  name        = "${local.name_prefix}-events"
  description = "Schemas of the events on ${aws_cloudwatch_event_bus.this.name}"
}

resource "aws_schemas_schema" "this" {
  for_each = var.event_schemas

  name          = each.key
  registry_name = aws_schemas_registry.this.name
  type          = "JSONSchemaDraft4"
  content       = each.value
  description   = "The ${each.key} event"
}

# Services read these (data "aws_ssm_parameter"), never this root's state.
resource "aws_ssm_parameter" "bus_name" {
  #checkov:skip=CKV2_AWS_34:The value is a resource name, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/bus-name"
  description = "Name of the shared event bus"
  type        = "String"
  value       = aws_cloudwatch_event_bus.this.name
}

resource "aws_ssm_parameter" "bus_arn" {
  #checkov:skip=CKV2_AWS_34:The value is a resource ARN, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/bus-arn"
  description = "ARN of the shared event bus"
  type        = "String"
  value       = aws_cloudwatch_event_bus.this.arn
}

resource "aws_ssm_parameter" "schema_registry" {
  #checkov:skip=CKV2_AWS_34:The value is a resource name, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/schema-registry"
  description = "Name of the event schema registry"
  type        = "String"
  value       = aws_schemas_registry.this.name
}
