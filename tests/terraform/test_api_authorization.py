"""Every non-public method of the deployed APIs has the Cognito authorizer; the public ones are
exactly the catalogue reads.

The REST API's body is computed by terraform/modules/rest-api/modules/openapi-body, which needs no
provider: terraform itself evaluates it here, offline, from the services' openapi.yaml, so the test
reads the very JSON that API Gateway would import.
"""

import json
import os
import shutil
import subprocess

import pytest

from scripts.localcloud import system
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer
from scripts.localcloud.gateway.routes import load_resources
from tests.terraform.conftest import MODULES, REPO

SERVICES = ("product", "basket", "order")
PUBLIC = {("GET", "/product"), ("GET", "/product/{id}")}  # the catalogue reads
POOL_ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example"
INVOKE_ARN = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{}/invocations"
METHODS = ("get", "put", "post", "delete", "patch")


def terraform(directory, *arguments) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    return subprocess.run(
        [shutil.which("terraform"), f"-chdir={directory}", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )


def evaluate(directory, pool_arns: list[str]) -> subprocess.CompletedProcess[str]:
    """Applies a root that calls openapi-body for each service; its outputs are the bodies."""
    blocks = []
    for service in SERVICES:
        blocks.append(f"""
module "{service}" {{
  source                 = "{MODULES / "rest-api/modules/openapi-body"}"
  openapi_spec           = file("{REPO / "services" / service / "openapi.yaml"}")
  function_invoke_arn    = "{INVOKE_ARN.format(service)}"
  cognito_user_pool_arns = {json.dumps(pool_arns)}
}}

output "{service}" {{
  value = jsondecode(module.{service}.json)
}}

output "{service}_secured" {{
  value = module.{service}.secured_operations
}}
""")
    (directory / "main.tf").write_text("\n".join(blocks))
    init = terraform(directory, "init", "-input=false", "-no-color")
    assert init.returncode == 0, init.stdout + init.stderr
    return terraform(directory, "apply", "-auto-approve", "-input=false", "-no-color")


@pytest.fixture(scope="module")
def bodies(tmp_path_factory):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH: the API bodies cannot be evaluated")
    directory = tmp_path_factory.mktemp("openapi-body")
    applied = evaluate(directory, [POOL_ARN])
    assert applied.returncode == 0, applied.stdout + applied.stderr
    outputs = json.loads(terraform(directory, "output", "-json").stdout)
    return {name: output["value"] for name, output in outputs.items()}


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


def test_every_method_but_the_catalogue_reads_has_the_cognito_authorizer(bodies):
    public, bad = set(), []
    for service in SERVICES:
        body = bodies[service]
        for method, path, operation in operations(body):
            assert operation["x-amazon-apigateway-integration"]["uri"] == INVOKE_ARN.format(service)
            found = authorizers(body, operation)
            if not found:
                public.add((method, path))
            elif found != [{"type": "cognito_user_pools", "providerARNs": [POOL_ARN]}]:
                bad.append(f"{service}: {method} {path}: {found}")
    assert not bad, bad
    assert public == PUBLIC


def test_the_secured_operations_output_lists_the_others(bodies):
    secured = {op for service in SERVICES for op in bodies[f"{service}_secured"]}
    every = {f"{m} {p}" for service in SERVICES for m, p, _ in operations(bodies[service])}
    assert secured == every - {f"{m} {p}" for m, p in PUBLIC}


def test_the_token_comes_in_the_authorization_header_as_a_cognito_scheme(bodies):
    for service in SERVICES:
        schemes = bodies[service]["components"]["securitySchemes"]
        assert {name: (s["type"], s["in"], s["name"]) for name, s in schemes.items()} == {
            "cognito": ("apiKey", "header", "Authorization")
        }
        assert schemes["cognito"]["x-amazon-apigateway-authtype"] == "cognito_user_pools"


def test_a_secured_document_without_a_user_pool_is_refused(tmp_path):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    applied = evaluate(tmp_path, [])
    assert applied.returncode != 0 and "cognito_user_pool_arns must name the user pool" in applied.stderr


def test_the_local_gateway_guards_the_same_operations(bodies):
    unused = CognitoAuthorizer(system.REGION, "pool", ["client"], "http://127.0.0.1:9/jwks.json")
    apis = tuple(api for service in system.SERVICES for api in service.apis)
    guarded = {f"{m} {r.path}" for r in load_resources(apis, {system.USER_POOL: unused}) for m in r.guarded}
    assert guarded == {op for service in SERVICES for op in bodies[f"{service}_secured"]}
