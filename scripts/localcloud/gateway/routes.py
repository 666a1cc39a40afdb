"""The routes of the local REST APIs, read from the services' OpenAPI documents (the ones
Terraform deploys), and which of their operations a Cognito user pool authorizer guards.

Which operations need a token comes from the same documents: an operation's `security` (or
the document's) naming a scheme with `x-amazon-apigateway-authtype: cognito_user_pools`,
whose `name` is the header that carries the token. Terraform adds the authorizer's
providerARNs to those schemes (terraform/modules/rest-api).
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from scripts.localcloud import system
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Resource:
    path: str  # the template, such as /product/{id}
    pattern: re.Pattern[str]
    methods: frozenset[str]
    function: str
    api_id: str
    api_name: str
    # The methods that a Cognito user pool authorizer guards, each with the header of its token.
    guarded: Mapping[str, str] = field(default_factory=dict)
    authorizer: CognitoAuthorizer | None = None


COGNITO = "cognito_user_pools"


def token_header(document: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """The header of the Cognito authorizer that guards `operation`, or None when it is public.

    The operation's `security` applies, or else the document's (OpenAPI's rule); naming no
    scheme (`[]`) means no authorization. Only Cognito user pool schemes are known here: any
    other scheme is an error rather than an open route."""
    requirements = operation.get("security", document.get("security", []))
    names = {name for requirement in requirements for name in requirement}
    if not names:
        return None
    schemes = document.get("components", {}).get("securitySchemes", {})
    headers = set()
    for name in names:
        scheme = schemes.get(name, {})
        if scheme.get("x-amazon-apigateway-authtype") != COGNITO or scheme.get("in") != "header":
            raise ValueError(f"security scheme {name!r}: only {COGNITO} in a header is emulated")
        headers.add(scheme["name"])
    if len(headers) != 1:
        raise ValueError(f"one token header per operation expected, got {sorted(headers)}")
    return headers.pop()


def load_resources(
    apis: tuple[system.Api, ...], authorizers: Mapping[str, CognitoAuthorizer] | None = None
) -> list[Resource]:
    """The routes of `apis`; `authorizers` maps a user pool's name to its authorizer."""
    resources = []
    for api in apis:
        document = yaml.safe_load(Path(api.openapi).read_text())
        api_id = uuid.uuid5(uuid.NAMESPACE_URL, api.name).hex[:10]
        authorizer = (authorizers or {}).get(api.user_pool or "")
        for path, operations in document["paths"].items():
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
            methods = {m.upper(): operation for m, operation in operations.items() if m in METHODS}
            headers = {m: token_header(document, operation) for m, operation in methods.items()}
            guarded = {m: header for m, header in headers.items() if header}
            if guarded and authorizer is None:
                raise ValueError(f"{api.name} {path}: secured operations, but no user pool authorizer")
            resources.append(
                Resource(
                    path,
                    re.compile(f"^{regex}$"),
                    frozenset(methods),
                    api.function,
                    api_id,
                    api.name,
                    guarded=guarded,
                    authorizer=authorizer,
                )
            )
    # Literal segments win over parameters, as in API Gateway (/basket/checkout before /basket/{userName}).
    return sorted(resources, key=lambda r: (r.path.count("{"), -len(r.path)))


def match(resources: list[Resource], path: str) -> tuple[Resource, dict[str, str]] | None:
    for resource in resources:
        found = resource.pattern.match(path)
        if found:
            return resource, {k: unquote(v) for k, v in found.groupdict().items()}
    return None
