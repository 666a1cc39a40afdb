"""The services' OpenAPI documents: generated from the models, valid OpenAPI 3.0, the handlers'
routes, and a body Terraform's rest-api module turns into an API Gateway import."""

import json
import re
import shutil
import subprocess

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from scripts import openapi
from scripts.localcloud import system
from tests.helpers import fresh_import

SERVICES = openapi.SERVICES


def document(service: str) -> dict:
    return yaml.safe_load(openapi.document_path(service).read_text())


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_document_is_the_generated_one(service):
    assert openapi.document_path(service).read_text() == openapi.generate(service), (
        f"services/{service}/openapi.yaml is out of date with the models: run `make openapi`"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_is_valid_openapi_3_0(service):
    spec = document(service)
    assert spec["openapi"].startswith("3.0.")
    OpenAPIV30SpecValidator(spec).validate()


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_has_the_routes_of_the_handler(service, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", "shop-test-table")
    monkeypatch.setenv("EVENT_BUS_NAME", "shop-test-bus")
    monkeypatch.setenv("CATALOGUE_TABLE_NAME", "shop-test-catalogue")
    app = fresh_import(f"{service}.handler").app
    # Placeholders differ (<product_id> in the code, {id} in the document): compare shapes.
    routes = {(r.method, re.sub(r"<\w+>", "{}", r.path)) for r in app.routes}
    documented = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path))
        for path, method, _ in openapi.operations(document(service))
    }
    assert documented == routes


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_is_bound_to_its_models(service):
    spec = document(service)
    operation_ids = {operation["operationId"] for _, _, operation in openapi.operations(spec)}
    assert operation_ids == set(openapi.OPERATIONS[service])
    for _, method, operation in openapi.operations(spec):
        binding = openapi.OPERATIONS[service][operation["operationId"]]
        assert ("requestBody" in operation) == (binding.body is not None)
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if str(status) >= "400":
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, status)
            elif binding.result is None:
                assert schema is None


@pytest.mark.parametrize("service", SERVICES)
def test_schema_names_are_valid_api_gateway_model_names(service):
    assert all(re.fullmatch(r"[A-Za-z0-9]+", name) for name in document(service)["components"]["schemas"])


def test_keys_the_generator_does_not_own_are_kept():
    """Other changes to the documents (extensions, security, new answers) survive `make openapi`."""
    text = openapi.document_path("product").read_text()
    text = text.replace("paths:\n", "x-shop-note: kept\npaths:\n", 1)
    text = text.replace(
        "      operationId: getProduct\n", "      operationId: getProduct\n      x-shop-note: [{kept: []}]\n"
    )
    not_found = "        \"404\": { description: 'No such product'"
    text = text.replace(not_found, "        \"412\": { description: 'Changed since read' }\n" + not_found, 1)
    assert "      x-shop-note: [{kept: []}]\n" in openapi.generate("product", text)  # written as it was
    generated = yaml.safe_load(openapi.generate("product", text))
    assert generated["x-shop-note"] == "kept"
    assert generated["paths"]["/product/{id}"]["get"]["security"] == []
    scheme = generated["components"]["securitySchemes"]["cognito"]
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    changed = generated["paths"]["/product/{id}"]["get"]["responses"]["412"]
    assert changed["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert openapi.generate("product", openapi.generate("product", text)) == openapi.generate("product", text)


@pytest.mark.parametrize(
    ("json_schema", "openapi_schema"),
    [
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, {"type": "string", "nullable": True}),
        (
            {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "default": None},
            {"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": True},
        ),
        ({"const": "a", "title": "A"}, {"enum": ["a"]}),
        (
            {"type": "integer", "exclusiveMinimum": 0},
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        ),
        ({"type": "string", "examples": ["x", "y"]}, {"type": "string", "example": "x"}),
    ],
)
def test_json_schema_becomes_openapi_3_0(json_schema, openapi_schema):
    assert openapi.to_openapi30(json_schema) == openapi_schema


@pytest.mark.parametrize(
    "json_schema", [{"type": ["string", "null"]}, {"prefixItems": [{}]}, {"type": "null"}]
)
def test_json_schema_without_an_openapi_3_0_form_is_refused(json_schema):
    with pytest.raises(ValueError, match=r"no OpenAPI 3\.0 form"):
        openapi.to_openapi30(json_schema)


def _rest_api_body(spec_text: str, tmp_path) -> dict:
    """The `body` that terraform/modules/rest-api imports, computed by Terraform itself."""
    main = (system.ROOT / "terraform/modules/rest-api/modules/openapi-body/main.tf").read_text()
    locals_block = re.search(r"^locals \{.*?^\}", main, re.DOTALL | re.MULTILINE).group(0)
    variables = 'variable "openapi_spec" {}\nvariable "function_invoke_arn" {}\n'
    variables += 'variable "cognito_user_pool_arns" { default = ["arn:pool"] }\n'
    (tmp_path / "main.tf").write_text(variables + locals_block)
    result = subprocess.run(
        ["terraform", "console", "-var", f"openapi_spec={spec_text}", "-var", "function_invoke_arn=arn:fn"],
        input="jsonencode(local.body)\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(json.loads(result.stdout))


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
@pytest.mark.parametrize("service", SERVICES)
def test_terraform_imports_the_document_with_its_schemas(service, tmp_path):
    body = _rest_api_body(openapi.document_path(service).read_text(), tmp_path)
    spec = document(service)
    assert body["components"]["schemas"] == spec["components"]["schemas"]
    for path, method, operation in openapi.operations(body):
        assert operation["x-amazon-apigateway-integration"]["uri"] == "arn:fn", (method, path)
        assert {k: v for k, v in operation.items() if not k.startswith("x-")} == spec["paths"][path][method]
    OpenAPIV30SpecValidator(body).validate()
