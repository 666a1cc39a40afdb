"""Test-wide setup: fake AWS credentials and region, so that nothing reaches a real account, and
the admin group the API functions read (as Terraform and the local cloud give it)."""

import os

for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "LAMBDA_TASK_ROOT"):
    os.environ.pop(variable, None)
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_METRICS_NAMESPACE": "shop-test",
        "POWERTOOLS_SERVICE_NAME": "test",
        "ADMIN_GROUP": "admin",  # system.ADMIN_GROUP
    }
)
