"""The local cloud serves each service's OpenAPI document and a Swagger UI page, offline."""

import re

import pytest
import yaml

from scripts.localcloud import system

SERVICES = ("product", "basket", "order")


@pytest.mark.parametrize("service", SERVICES)
def test_each_document_is_served_as_committed_and_as_json(http, service):
    committed = (system.ROOT / "services" / service / "openapi.yaml").read_text()
    as_yaml = http.get(f"/openapi/{service}.yaml")
    assert as_yaml.status_code == 200 and as_yaml.headers["Content-Type"].startswith("application/yaml")
    assert as_yaml.text == committed
    as_json = http.get(f"/openapi/{service}.json")
    assert as_json.status_code == 200 and as_json.json() == yaml.safe_load(committed)


def test_the_swagger_ui_page_lists_every_document_and_loads_its_assets_locally(http):
    page = http.get("/docs")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    for service in SERVICES:
        assert f'"url": "/openapi/{service}.yaml"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, no online validator
    assets = re.findall(r'(?:src|href)="(/docs/[^"]+)"', page.text)
    assert {"/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css"} <= set(assets)
    for asset in assets:
        response = http.get(asset)
        assert response.status_code == 200 and response.content, asset
    assert http.get("/docs/swagger-ui-bundle.js").headers["Content-Type"] in (
        "application/javascript",
        "text/javascript",
    )


@pytest.mark.parametrize(
    "path", ["/openapi/nothing.yaml", "/openapi/product.txt", "/docs/../pyproject.toml", "/docs/missing.js"]
)
def test_other_paths_are_api_gateway_403s(http, path):
    response = http.get(path)
    assert response.status_code == 403 and response.json() == {"message": "Missing Authentication Token"}
