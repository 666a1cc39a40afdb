# One root serves every environment of a component (envs/<env>.tfvars, envs/<env>.backend.hcl),
# so nothing but this stops a plan of one environment's values against another's state: after
# `init` with prod's backend file, `plan -var-file=envs/dev.tfvars` would rename prod's resources
# to dev's. The state keeps the environment it was first applied with (ignore_changes), and the
# plan fails, before any change, when the values name another one.

resource "terraform_data" "environment" {
  input = var.environment

  lifecycle {
    ignore_changes = [input]

    postcondition {
      condition     = self.input == var.environment
      error_message = "This state belongs to environment \"${self.input}\", but the values are for \"${var.environment}\". Run `terraform init -reconfigure -backend-config=envs/${var.environment}.backend.hcl` before planning ${var.environment}, or plan with -var-file=envs/${self.input}.tfvars."
    }
  }
}
