# The shop's identity: a Cognito user pool of customers and administrators, the app client that
# shop clients sign in with, the admin group, and SSM parameters that publish them.

locals {
  name_prefix    = "${var.prefix}-${var.environment}"
  parameter_path = "/${var.prefix}/${var.environment}/identity"
}

resource "aws_cognito_user_pool" "this" {
  name                = "${local.name_prefix}-users"
  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  user_pool_tier      = var.user_pool_tier

  # User names are what the APIs know customers by (cognito:username), and the tables key on
  # them exactly: case-sensitive here too, so that a token's name is always the owner's key.
  # (Case-insensitive sign-in would let "Alice" sign in as "alice" and miss Alice's basket.)
  username_configuration {
    case_sensitive = true
  }

  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length                   = var.minimum_password_length
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  # Each user may add an authenticator app; nobody is forced to.
  mfa_configuration = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = !var.self_sign_up
  }

  # Verification codes, invitations and password resets. Cognito's own sender (no
  # email_configuration) allows about 50 e-mails a day, too few for customers: prod sends through
  # an Amazon SES identity, with SES's quotas.
  email_configuration {
    email_sending_account  = var.email_configuration == null ? "COGNITO_DEFAULT" : "DEVELOPER"
    source_arn             = try(var.email_configuration.source_arn, null)
    from_email_address     = try(var.email_configuration.from_email_address, null)
    reply_to_email_address = try(var.email_configuration.reply_to_email_address, null)
    configuration_set      = try(var.email_configuration.configuration_set, null)
  }

  # Threat protection (compromised credentials, adaptive authentication) needs the Plus tier.
  user_pool_add_ons {
    advanced_security_mode = var.advanced_security_mode
  }
}

# The shop's clients (web, mobile, curl) sign in with this client: public, so no secret.
resource "aws_cognito_user_pool_client" "shop" {
  name         = "${local.name_prefix}-web"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  auth_session_validity         = 3 # minutes to answer an MFA challenge

  id_token_validity      = var.id_token_validity_minutes
  access_token_validity  = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days

  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "days"
  }
}

# Members may change the catalogue and read every basket and order.
resource "aws_cognito_user_group" "admin" {
  name         = var.admin_group_name
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "Shop administrators: change the catalogue, read and act on every basket and order"
  precedence   = 0
}

# Services read these (data "aws_ssm_parameter"), never this root's state.
resource "aws_ssm_parameter" "user_pool_id" {
  #checkov:skip=CKV2_AWS_34:The value is a resource id, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/user-pool-id"
  description = "Id of the shop's Cognito user pool"
  type        = "String"
  value       = aws_cognito_user_pool.this.id
}

resource "aws_ssm_parameter" "user_pool_arn" {
  #checkov:skip=CKV2_AWS_34:The value is a resource ARN, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/user-pool-arn"
  description = "ARN of the shop's Cognito user pool (the APIs' authorizer)"
  type        = "String"
  value       = aws_cognito_user_pool.this.arn
}

resource "aws_ssm_parameter" "user_pool_client_id" {
  #checkov:skip=CKV2_AWS_34:A public app client id (no secret), which every shop client embeds anyway.
  name        = "${local.parameter_path}/user-pool-client-id"
  description = "Id of the app client that shop clients sign in with"
  type        = "String"
  value       = aws_cognito_user_pool_client.shop.id
}

resource "aws_ssm_parameter" "admin_group" {
  #checkov:skip=CKV2_AWS_34:The value is a group name, not a secret; String keeps it readable by data sources without KMS permissions.
  name        = "${local.parameter_path}/admin-group"
  description = "Name of the user pool group whose members are shop administrators"
  type        = "String"
  value       = aws_cognito_user_group.admin.name
}
