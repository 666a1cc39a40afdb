"""The Lambda proxy integration of REST APIs (payload format 1.0): the event a request becomes,
and the HTTP response a function's result stands for."""

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from scripts.localcloud import system

STAGE = system.ENVIRONMENT


def _single_and_multi(
    pairs: list[tuple[str, str]],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        multi.setdefault(key, []).append(value)
    return {key: values[-1] for key, values in multi.items()}, multi


def proxy_event(
    method: str,
    path: str,
    *,
    resource: str,
    path_parameters: dict[str, str] | None = None,
    headers: list[tuple[str, str]] | None = None,
    query: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    source_ip: str = "127.0.0.1",
    request_id: str | None = None,
    extended_request_id: str | None = None,
    api_id: str = "local",
    claims: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API Lambda proxy integration event (payload format 1.0); `claims` are those of
    the Cognito authorizer that let the request in."""
    header_pairs = headers or []
    single_headers, multi_headers = _single_and_multi(header_pairs)
    single_query, multi_query = _single_and_multi(query or [])
    text_body: str | None = None
    encoded = False
    if body:
        try:
            text_body = body.decode()
        except UnicodeDecodeError:
            text_body, encoded = base64.b64encode(body).decode(), True
    now = datetime.now(UTC)
    host = (single_headers or {}).get("Host", "127.0.0.1")
    user_agent = next((v for k, v in header_pairs if k.lower() == "user-agent"), None)
    authorizer = {"authorizer": {"claims": claims}} if claims is not None else {}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single_headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": uuid.uuid5(uuid.NAMESPACE_URL, resource).hex[:6],
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": extended_request_id or uuid.uuid4().hex[:16],
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{STAGE}{path}",
            "accountId": system.ACCOUNT,
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": host.split(".")[0],
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id or str(uuid.uuid4()),
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": source_ip,
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": user_agent,
                "user": None,
            },
            "domainName": host,
            "apiId": api_id,
            **authorizer,
        },
        "body": text_body,
        "isBase64Encoded": encoded,
    }


def integration_response(payload: bytes) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The HTTP response a proxy integration result stands for, or None when it is malformed."""
    try:
        result = json.loads(payload)
        status = int(result["statusCode"])
        headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers = [h for h in headers if h[0].lower() != key.lower()] + [(key, str(v)) for v in values]
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not 100 <= status <= 599:
        return None
    return status, headers, data
