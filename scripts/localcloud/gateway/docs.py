"""The APIs' OpenAPI documents and a Swagger UI page, served by the local API Gateway only.

    GET /openapi/<service>.yaml   the committed document, as Terraform deploys it
    GET /openapi/<service>.json   the same, as JSON
    GET /docs                     Swagger UI over every service's document (offline: the
                                  swagger-ui-bundle package's files, no CDN)

These routes are not part of any deployed API.
"""

import json
import mimetypes
from pathlib import Path

import yaml
from swagger_ui_bundle import swagger_ui_path

# (status, headers, body)
Answer = tuple[int, list[tuple[str, str]], bytes]

ASSETS = Path(str(swagger_ui_path))
_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Shop APIs (local cloud)</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script>
      window.ui = SwaggerUIBundle({
        urls: URLS,
        dom_id: "#swagger-ui",
        deepLinking: true,
        validatorUrl: null,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        layout: "StandaloneLayout"
      });
    </script>
  </body>
</html>
"""


def _ok(content_type: str, body: bytes) -> Answer:
    return 200, [("Content-Type", content_type), ("Cache-Control", "no-cache")], body


class ApiDocs:
    def __init__(self, documents: dict[str, Path]):
        """`documents`: each service's OpenAPI document by service name."""
        self.documents = documents

    def answer(self, path: str) -> Answer | None:
        """The answer to a GET of `path`, or None when the path is not one of these."""
        if path in ("/docs", "/docs/"):
            urls = [{"url": f"/openapi/{name}.yaml", "name": name} for name in self.documents]
            page = _PAGE.replace("URLS", json.dumps(urls).replace("</", "<\\/"))
            return _ok("text/html; charset=utf-8", page.encode())
        if path.startswith("/docs/"):
            asset = ASSETS / path.removeprefix("/docs/")
            # Only the bundle's own files: no subdirectories, no "..".
            if asset.parent != ASSETS or not asset.is_file():
                return None
            content_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
            return _ok(content_type, asset.read_bytes())
        if path.startswith("/openapi/"):
            name, _, extension = path.removeprefix("/openapi/").rpartition(".")
            document = self.documents.get(name)
            if document is None or extension not in ("yaml", "json"):
                return None
            text = document.read_text()
            if extension == "yaml":
                return _ok("application/yaml; charset=utf-8", text.encode())
            return _ok("application/json", json.dumps(yaml.safe_load(text), indent=2).encode())
        return None
