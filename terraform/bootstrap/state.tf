# The Terraform state bucket: versioned (an overwritten state can be restored), encrypted, reachable
# only over TLS, never public; overwritten versions expire after state_noncurrent_version_days.
# Each root's state is <environment>/<component>/terraform.tfstate, locked by S3 itself
# (use_lockfile), so each deploy role gets only its own key.

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144:Cross-region replication needs a second bucket and region; versioning already keeps every state, and states can be re-created by import. Add replication where policy demands it.
  #checkov:skip=CKV_AWS_18:Access logging needs a separate log bucket; CloudTrail data events are the audit trail for state reads and writes where needed.
  #checkov:skip=CKV2_AWS_62:No consumer of state-change notifications exists.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) encrypts at rest without a customer key whose policy every deploy role would then also need.
  bucket = var.state_bucket
  # force_destroy stays false: S3 refuses to delete a bucket that holds objects, and with
  # versioning on, a state's old versions stay even after it is deleted.
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.state_noncurrent_version_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid     = "DenyPlainHttp"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.state.arn,
      "${aws_s3_bucket.state.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}
