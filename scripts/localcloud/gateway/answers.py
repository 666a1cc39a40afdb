"""What API Gateway answers by itself, before or instead of a function: JSON bodies with its
messages and error types, byte for byte as AWS sends them where they are known."""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    close: bool = False  # close the connection after it (the request's framing is in doubt)


def _error(status: int, body: bytes, error_type: str | None = None, close: bool = False) -> Answer:
    headers = [("Content-Type", "application/json")]
    if error_type:
        headers.append(("x-amzn-ErrorType", error_type))
    return Answer(status, headers, body, close)


MISSING_AUTHENTICATION_TOKEN = _error(
    403, b'{"message":"Missing Authentication Token"}', "MissingAuthenticationTokenException"
)
UNAUTHORIZED = _error(401, b'{"message":"Unauthorized"}', "UnauthorizedException")
INTEGRATION_FAILED = _error(502, b'{"message": "Internal server error"}', "InternalServerErrorException")
TOO_LARGE = _error(413, b'{"message":"Request Too Long"}', close=True)
HEADERS_TOO_LARGE = _error(431, b'{"message":"Request Header Fields Too Large"}', close=True)


def bad_request(reason: str) -> Answer:
    """A request that cannot be read (request line, headers or body framing)."""
    return _error(400, json.dumps({"message": f"Bad Request: {reason}"}).encode(), close=True)


def protocol_error(status: int, message: str) -> Answer:
    """What http.server refuses while parsing (414, 431, 505...), as JSON instead of its HTML page."""
    return _error(status, json.dumps({"message": message}).encode(), close=True)
