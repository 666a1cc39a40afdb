"""Builders shared by the unit tests: API Gateway events, Lambda contexts, moto resources."""

import importlib
import io
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import boto3

from scripts.localcloud import system
from scripts.localcloud.aws.resources import table_request
from scripts.localcloud.gateway.authorizer import api_gateway_claims
from scripts.localcloud.gateway.proxy import proxy_event


@dataclass
class LambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"
    remaining_ms: int = 30_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def claims(user_name: str, *groups: str) -> dict[str, str]:
    """What API Gateway's Cognito authorizer hands a function for a signed-in user's ID token."""
    payload: dict[str, Any] = {
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, user_name)),
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test",
        "aud": "testclient",
        "token_use": "id",
        "auth_time": 1795705848,
        "iat": 1795705848,
        "exp": 1795709448,
        "cognito:username": user_name,
    }
    if groups:
        payload["cognito:groups"] = list(groups)
    return api_gateway_claims(payload)


ADMIN = claims("shop-admin", system.ADMIN_GROUP)


def api_event(
    method: str,
    path: str,
    body: Any = None,
    *,
    query: dict[str, str] | None = None,
    content_type: str | None = "application/json",
    raw_body: bytes | None = None,
    caller: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST proxy event, as the local API Gateway makes them; `caller`: the authorizer's claims;
    `headers` are added to Content-Type."""
    data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
    headers = ([("Content-Type", content_type)] if content_type else []) + list((headers or {}).items())
    return proxy_event(
        method,
        path,
        resource=path,
        headers=headers,
        query=list((query or {}).items()),
        body=data,
        claims=caller,
    )


def call(handler: ModuleType, method: str, path: str, body: Any = None, **options: Any) -> tuple[int, Any]:
    """Invokes a handler module with an API event; returns the status and the decoded JSON body."""
    response = handler.lambda_handler(api_event(method, path, body, **options), LambdaContext())
    text = response.get("body") or ""
    return response["statusCode"], (json.loads(text) if text else None)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def answer(handler: ModuleType, method: str, path: str, body: Any = None, **options: Any) -> Answer:
    """As `call`, with the response's headers (REST responses put them in multiValueHeaders)."""
    response = handler.lambda_handler(api_event(method, path, body, **options), LambdaContext())
    headers = dict(response.get("headers") or {})
    headers.update({k: ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()})
    text = response.get("body") or ""
    return Answer(response["statusCode"], headers, json.loads(text) if text else None)


def create_tables(service: system.Service) -> None:
    client = boto3.client("dynamodb")
    for table in service.tables:
        client.create_table(**table_request(table))


def fresh_import(module: str) -> ModuleType:
    """Imports a handler module anew, so it reads the environment and makes clients under moto."""
    sys.modules.pop(module, None)
    return importlib.import_module(module)


CONTRACTS = system.ROOT / "contracts" / "events"


def event_schema(name: str) -> dict[str, Any]:
    """contracts/events/<name>.json"""
    return json.loads((CONTRACTS / f"{name}.json").read_text())


def checkout_schema() -> dict[str, Any]:
    return event_schema("CheckoutBasket")


def schema_validator(schema: dict[str, Any]):
    """A draft-04 validator that also checks formats (email, date-time)."""
    from jsonschema import Draft4Validator, FormatChecker

    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


@contextmanager
def captured_logs(logger) -> Iterator[io.StringIO]:
    """What a Powertools Logger writes, whichever stream it was made with."""
    handler = logger.registered_handler
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)
