"""Every non-public method of the deployed APIs has the Cognito authorizer of the user pool that
the identity root publishes; the public ones are exactly the catalogue reads.

The bodies are those Terraform renders for the three services as the live roots wire them
(tests/terraform/render: each service's openapi.yaml, the user pool ARN read from SSM), so the test
reads the very JSON that API Gateway would import.
"""

import json

import pytest

from scripts.localcloud import system
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer
from scripts.localcloud.gateway.routes import load_resources
from tests.terraform.conftest import RENDER

SERVICES = ("product", "basket", "order")
PUBLIC = {("GET", "/product"), ("GET", "/product/{id}")}  # the catalogue reads
METHODS = ("get", "put", "post", "delete", "patch")
FUNCTIONS = {"product": "function", "basket": "function", "order": "api_function"}


def published_pool_arn() -> str:
    """The user pool ARN the services read from SSM (render/parameters.json)."""
    parameters = json.loads((RENDER / "parameters.json").read_text())["aws_ssm_parameter"]
    return parameters["/shop/dev/identity/user-pool-arn"]


@pytest.fixture(scope="module")
def bodies(rendered):
    return {
        service: json.loads(
            rendered.resources[f"module.{service}.module.api.aws_api_gateway_rest_api.this"].values["body"]
        )
        for service in SERVICES
    }


@pytest.fixture(scope="module")
def invoke_arns(rendered):
    """The invoke ARN of each API function's alias, the one every integration must name."""
    aliases = {alias.module: alias for alias in rendered.of_type("aws_lambda_alias")}
    return {
        service: aliases[f"module.{service}.module.{FUNCTIONS[service]}"].values["invoke_arn"]
        for service in SERVICES
    }


def operations(body):
    for path, item in body["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def authorizers(body, operation) -> list[dict]:
    """The authorizers of the schemes an operation's security names."""
    schemes = body.get("components", {}).get("securitySchemes", {})
    requirements = operation.get("security", body.get("security", []))
    return [schemes[name].get("x-amazon-apigateway-authorizer") for req in requirements for name in req]


def secured(bodies) -> set[str]:
    return {
        f"{method} {path}"
        for service in SERVICES
        for method, path, operation in operations(bodies[service])
        if authorizers(bodies[service], operation)
    }


def test_every_method_but_the_catalogue_reads_has_the_cognito_authorizer(bodies, invoke_arns):
    public, bad = set(), []
    for service in SERVICES:
        body = bodies[service]
        for method, path, operation in operations(body):
            assert operation["x-amazon-apigateway-integration"]["uri"] == invoke_arns[service]
            found = authorizers(body, operation)
            if not found:
                public.add((method, path))
            elif found != [{"type": "cognito_user_pools", "providerARNs": [published_pool_arn()]}]:
                bad.append(f"{service}: {method} {path}: {found}")
    assert not bad, bad
    assert public == PUBLIC


def test_the_token_comes_in_the_authorization_header_as_a_cognito_scheme(bodies):
    for service in SERVICES:
        schemes = bodies[service]["components"]["securitySchemes"]
        assert {name: (s["type"], s["in"], s["name"]) for name, s in schemes.items()} == {
            "cognito": ("apiKey", "header", "Authorization")
        }
        assert schemes["cognito"]["x-amazon-apigateway-authtype"] == "cognito_user_pools"


def test_the_local_gateway_guards_the_same_operations(bodies):
    unused = CognitoAuthorizer(system.REGION, "pool", ["client"], "http://127.0.0.1:9/jwks.json")
    apis = tuple(api for service in system.SERVICES for api in service.apis)
    guarded = {f"{m} {r.path}" for r in load_resources(apis, {system.USER_POOL: unused}) for m in r.guarded}
    assert guarded == secured(bodies)
