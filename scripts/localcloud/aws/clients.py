"""boto3 clients of the embedded AWS: its region, dummy credentials, the SDK's standard retries."""

from typing import Any

import boto3
from botocore.config import Config

from scripts.localcloud import system

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# For moto in process (make faults, the tests): botocore's account-based DynamoDB Streams endpoint
# (<account>.streams-ddb...) is not one moto's mock knows; this regional one is.
STREAMS_ENDPOINT = f"https://streams.dynamodb.{system.REGION}.amazonaws.com/"


def client(service: str, endpoint: str) -> Any:
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    return boto3.client(
        service, endpoint_url=endpoint, region_name=system.REGION, config=config, **CREDENTIALS
    )
