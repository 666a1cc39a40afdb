# The stage's URL, published for whatever must find the API without this root's state: the smoke
# tests of the pipelines (make smoke ENV=<env>) read it with the environment's other parameters.
resource "aws_ssm_parameter" "url" {
  #checkov:skip=CKV2_AWS_34:The value is a public URL, not a secret; String keeps it readable by the smoke tests without KMS permissions.
  count = var.url_parameter_name == null ? 0 : 1

  name        = var.url_parameter_name
  description = "Invoke URL of the ${var.name} API's stage"
  type        = "String"
  value       = aws_api_gateway_stage.this.invoke_url
}
