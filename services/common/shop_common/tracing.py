"""X-Ray through Powertools Tracer: the handlers' tracer, and `@step` for business steps.

`@step` makes an adapter call (a repository or publisher method) a subsegment named after the
method. Neither its return value nor its exception is recorded: either may hold personal data
(a basket's owner, an order's address).
"""

from aws_lambda_powertools import Tracer

# boto3's calls (DynamoDB, EventBridge, SQS) become subsegments; patching nothing else keeps
# the cold start short.
PATCHED_MODULES = ("botocore",)

step = Tracer(auto_patch=False).capture_method(capture_response=False, capture_error=False)


def handler_tracer() -> Tracer:
    """The tracer of a Lambda entry point. Powertools Tracers share their configuration, and
    `step`'s is made first, at import: this one must ask for patching itself."""
    return Tracer(auto_patch=True, patch_modules=PATCHED_MODULES)
