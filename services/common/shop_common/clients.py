"""The services' boto3 clients: bounded timeouts and retries, so that a stuck dependency costs a
route a few seconds and a 503 with Retry-After, never the whole function timeout.

botocore's defaults (60 s to connect, 60 s to read, up to 4 attempts for DynamoDB) would let one
hung call outlive any of our functions. Here one call takes at most ATTEMPTS x (CONNECT_TIMEOUT +
READ_TIMEOUT) plus the backoff between attempts; tests/common/test_clients.py checks that this
stays well below each function's timeout in Terraform and in the local cloud.
"""

from typing import Any

import boto3
from botocore.config import Config

CONNECT_TIMEOUT = 1.0  # seconds; a connection inside a region takes milliseconds
READ_TIMEOUT = 2.0  # seconds; single-item DynamoDB calls, pages and PutEvents answer in tens of ms
# The first try and one retry by the SDK (throttling, 5xx, timeouts, dropped connections). Beyond
# that the client retries: the route answers 503 with Retry-After.
ATTEMPTS = 2

CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    retries={"mode": "standard", "total_max_attempts": ATTEMPTS},
)


def worst_case_seconds() -> float:
    """The longest one call can take before it answers or raises: every attempt waits out both
    timeouts, and each retry waits the longest backoff of botocore's standard mode, 2**i s for
    throttling (capped at 20 s), plus up to 5 s more when the answer asks for it (x-amz-retry-after)."""
    backoff = sum(min(2**retry, 20) + 5 for retry in range(ATTEMPTS - 1))
    return ATTEMPTS * (CONNECT_TIMEOUT + READ_TIMEOUT) + backoff


def client(service: str) -> Any:
    """A client for `service` with the shop's timeouts and retries; make it once, at module scope."""
    return boto3.client(service, config=CONFIG)


class LazyClient:
    """`client(service)`, made when it is first used: for a client that most requests of a function
    never call. Making a client loads its service's model and endpoint rules (tens of ms), which
    would otherwise lengthen every cold start of the function, the requests that skip it too."""

    def __init__(self, service: str):
        self._service = service
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = client(self._service)
        return getattr(self._client, name)
