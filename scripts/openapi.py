"""`make openapi`: puts the schemas of each service's pydantic models into its openapi.yaml.

    python -m scripts.openapi [--check] [SERVICE ...]

services/<svc>/openapi.yaml stays the one document of an API (Terraform deploys it, the local
cloud routes from it). Its paths, parameters, descriptions and comments are written by hand;
this script owns `components.schemas` (made from the models the code validates with, request
models as they are read and answers as they are written), each operation's `requestBody`, and
the `content` of its responses: the operation's model for a 2xx, `Error` for a 4xx or 5xx. It
also documents, where the document does not already, what the shared HTTP plumbing answers on
every operation: 400, 413 and 415 for a body, 503 when a dependency is busy. Every other key is
kept as it is. The output is OpenAPI 3.0 (what API Gateway imports), byte-stable, and a test
fails when a committed document differs from it (`--check` does the same).
"""

import argparse
import difflib
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("product", "basket", "order")
for _directory in ("common", *SERVICES):  # the services' packages, as pytest's pythonpath has them
    if str(ROOT / "services" / _directory) not in sys.path:
        sys.path.append(str(ROOT / "services" / _directory))

from basket.models import Basket, BasketUpdate, CheckoutAccepted, CheckoutRequest  # noqa: E402
from order.models import Order  # noqa: E402
from product.models import Product, ProductCreate, ProductUpdate  # noqa: E402
from shop_common.http import Error  # noqa: E402
from shop_common.pagination import Page  # noqa: E402

JSON = "application/json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
SCHEMAS = "#/components/schemas/"


@dataclass(frozen=True)
class Operation:
    body: type[BaseModel] | None = None  # the request body's model
    result: type[BaseModel] | None = None  # the 2xx answer's model; None: no body (204)


# operationId -> models, per service. A test checks that these are the operations of the
# document and of the handler's routes.
OPERATIONS: dict[str, dict[str, Operation]] = {
    "product": {
        "listProducts": Operation(result=Page[Product]),
        "createProduct": Operation(ProductCreate, Product),
        "getProduct": Operation(result=Product),
        "updateProduct": Operation(ProductUpdate, Product),
        "deleteProduct": Operation(),
    },
    "basket": {
        "listBaskets": Operation(result=Page[Basket]),
        "saveBasket": Operation(BasketUpdate, Basket),
        "checkOut": Operation(CheckoutRequest, CheckoutAccepted),
        "getBasket": Operation(result=Basket),
        "deleteBasket": Operation(),
    },
    "order": {
        "listOrders": Operation(result=Page[Order]),
        "listUserOrders": Operation(result=Page[Order]),
        "getOrder": Operation(result=Order),
    },
}

# What shop_common.http answers on any operation, documented where the hand-written part is silent.
BODY_ANSWERS = {
    "400": "Invalid body; the message names the field",
    "413": "Body larger than 64 KiB",
    "415": "Content-Type is not application/json",
}
ANY_ANSWERS = {"503": "A dependency is busy: retry after the Retry-After seconds"}


def document_path(service: str) -> Path:
    return ROOT / "services" / service / "openapi.yaml"


class _Names(GenerateJsonSchema):
    """Names API Gateway accepts for models (letters and digits): Page[Product] -> ProductPage."""

    def normalize_name(self, name: str) -> str:
        name = re.sub(r"^Page\[(\w+)\]$", r"\1Page", name)
        return re.sub(r"[^A-Za-z0-9]", "", name)


# JSON Schema 2020-12 keywords that OpenAPI 3.0 lacks and that have no translation below.
_UNSUPPORTED = {"$defs", "prefixItems", "if", "then", "else", "dependentSchemas", "dependentRequired"}
_UNSUPPORTED |= {"unevaluatedProperties", "unevaluatedItems", "contains", "propertyNames", "$schema"}
_ORDER = ("type", "format", "description", "properties", "required", "additionalProperties", "items")


def to_openapi30(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic (JSON Schema 2020-12) schema as an OpenAPI 3.0 schema object."""
    unsupported = _UNSUPPORTED & set(schema)
    if unsupported or isinstance(schema.get("type"), list) or schema.get("type") == "null":
        raise ValueError(f"no OpenAPI 3.0 form for {sorted(unsupported) or schema['type']} in {schema}")
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" or (key == "default" and value is None):
            continue  # pydantic's titles ("Productid") say less than the names; absent is null
        elif key == "properties":
            result[key] = {name: to_openapi30(s) for name, s in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            result[key] = to_openapi30(value)
        elif key in ("anyOf", "oneOf", "allOf"):
            options = [s for s in value if s != {"type": "null"}]
            if key == "anyOf" and len(options) < len(value):
                result["nullable"] = True
                if len(options) == 1:  # X or null: X, nullable ($ref siblings are ignored in 3.0)
                    (only,) = options
                    result.update(to_openapi30(only) if "$ref" not in only else {"allOf": [only]})
                    continue
            result[key] = [to_openapi30(s) for s in options]
        elif key == "const":
            result["enum"] = [value]
        elif key == "examples":
            result["example"] = value[0]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            result["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            result[key] = True
        else:
            result[key] = value
    return {k: result[k] for k in sorted(result, key=lambda k: (*_ORDER, k).index(k))}


def schemas(service: str) -> dict[str, Any]:
    """components.schemas of a service: its operations' models and Error, in name order."""
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Error, "serialization")]
    for operation in OPERATIONS[service].values():
        wanted += [(operation.body, "validation")] if operation.body else []
        wanted += [(operation.result, "serialization")] if operation.result else []
    _, top = models_json_schema(
        list(dict.fromkeys(wanted)), ref_template=SCHEMAS + "{model}", schema_generator=_Names
    )
    found = {name: to_openapi30(schema) for name, schema in top["$defs"].items()}
    return dict(sorted(found.items()))


def reference(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": SCHEMAS + _Names().normalize_name(model.__name__)}


def _flow(value: Any) -> Any:
    """A mapping written on one line, `{ ... }`, as the hand-written parts are."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, _flow(v)) for k, v in value.items())
        mapping.fa.set_flow_style()
        return mapping
    return value


def _content(model: type[BaseModel]) -> dict[str, Any]:
    return {JSON: {"schema": reference(model)}}


def _set(mapping: CommentedMap, key: str, value: Any, before: tuple[str, ...] = ()) -> None:
    """Sets `key`, placing a new key before the first of `before` that the mapping has."""
    if key in mapping:
        mapping[key] = value
        return
    position = next((i for i, k in enumerate(mapping) if k in before), len(mapping))
    mapping.insert(position, key, value)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, CommentedMap]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def fill(document: CommentedMap, service: str) -> None:
    """Puts the models' schemas into the document, in place."""
    bindings = OPERATIONS[service]
    for path, method, operation in operations(document):
        binding = bindings.get(operation.get("operationId"))
        if binding is None:
            raise ValueError(f"{service}: {method.upper()} {path} has no operationId in scripts/openapi.py")
        responses = operation["responses"]
        added = ({**BODY_ANSWERS, **ANY_ANSWERS} if binding.body else ANY_ANSWERS).items()
        for status, description in added:
            if status not in responses:
                later = tuple(s for s in responses if str(s) > status)
                response = _flow({"description": SingleQuotedScalarString(description)})
                _set(responses, DoubleQuotedScalarString(status), response, before=later)
        if binding.body:
            body = {"required": True, "content": _content(binding.body)}
            _set(operation, "requestBody", _flow(body), before=("responses",))
        for status, response in responses.items():
            if str(status).startswith("2"):
                model = binding.result
            elif str(status)[0] in "45":
                model = Error
            else:
                continue
            if model is None:
                response.pop("content", None)
            else:
                _set(response, "content", _flow(_content(model)))
    if "components" not in document:
        document["components"] = CommentedMap()
    document["components"]["schemas"] = schemas(service)


class _Emitter(RoundTripEmitter):
    """Writes flow mappings as the hand-written documents do: `{ a: b }`, but `[{a: b}]` in a list."""

    def write_indicator(self, indicator: str, need_whitespace: bool, whitespace=False, indention=False):
        in_list = bool(self.flow_context) and self.flow_context[-1] == "["  # the mapping's parent
        if indicator.endswith("{") and not in_list:
            indicator, whitespace = indicator + " ", True
        elif indicator == "}" and not in_list:
            indicator = " }"
        super().write_indicator(indicator, need_whitespace, whitespace, indention)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.Emitter = _Emitter
    yaml.width = 4096  # no folding: one line per hand-written entry
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{a: b}], not [a: b]
    return yaml


def generate(service: str, text: str | None = None) -> str:
    """The document of `service` with its schemas filled in (from `text`, or the committed file)."""
    yaml = _yaml()
    document = yaml.load(document_path(service).read_text() if text is None else text)
    fill(document, service)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only report documents that would change")
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(SERVICES)}")
    args = parser.parse_args(argv)
    if unknown := set(args.services) - set(SERVICES):
        parser.error(f"unknown services: {', '.join(sorted(unknown))}")
    stale = []
    for service in args.services or SERVICES:
        path = document_path(service)
        current, wanted = path.read_text(), generate(service)
        if current == wanted:
            continue
        stale.append(service)
        if args.check:
            diff = difflib.unified_diff(
                current.splitlines(True), wanted.splitlines(True), str(path), "generated"
            )
            sys.stdout.writelines(diff)
        else:
            path.write_text(wanted)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        print(f"\nOut of date: {', '.join(stale)}. Run `make openapi`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
