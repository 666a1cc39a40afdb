"""Bad input over HTTP, on every operation that takes it: each answer is a 4xx JSON error whose
message or errors[] names what is wrong, with no stack trace or internal name; never a 5xx.

Decisions: a body not declared application/json is 415; unknown query parameters are ignored
(as HTTP caches and proxies expect); unknown body fields are refused (they may be card data).
"""

import base64
import json
import socket
import time
import uuid

import pytest

from scripts import fuzz

PRODUCT = {"name": "Phone", "category": "Phone", "price": 10}
LINE = {"productId": "p1", "quantity": 1}  # a well-formed line; `phone` is one of a real product
CHECKOUT = {
    "userName": "bad-input",
    "firstName": "A",
    "lastName": "B",
    "email": "a@example.com",
    "address": "Street 1",
    "paymentMethod": "card",
}
JSON = {"Content-Type": "application/json"}
SOME_PRODUCT = str(uuid.UUID(int=7))


@pytest.fixture(scope="module")
def http(admin):
    """An administrator, whom every route lets in: the bad input itself is what is refused."""
    return admin


def body_operations() -> list[tuple[str, str, dict]]:
    """Each operation with a body, and a valid body for it."""
    basket = {"userName": "bad-input", "items": [LINE]}
    return [
        ("POST", "/product", PRODUCT),
        ("PUT", f"/product/{SOME_PRODUCT}", PRODUCT),
        ("POST", "/basket", basket),
        ("POST", "/basket/checkout", CHECKOUT),
    ]


BODY_OPERATIONS = [
    pytest.param(m, p, b, id=f"{m} {p.replace(SOME_PRODUCT, '{id}')}") for m, p, b in body_operations()
]


def assert_refused(response, status: int, field: str) -> dict:
    """A JSON error with `status` that names `field` in its message or its errors."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    named = [e["field"] for e in body.get("errors", [])]
    assert field in body["message"] or field in named, body
    assert fuzz.leaked(response.text) is None, response.text[:500]
    return body


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("method", "path", "valid"), BODY_OPERATIONS)
@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        pytest.param(b'{"name": ', 400, "body", id="malformed JSON"),
        pytest.param(b"[]", 400, "body", id="an array"),
        pytest.param(b'"a string"', 400, "body", id="a string"),
        pytest.param(b"null", 400, "body", id="null"),
        pytest.param(b"", 400, "body", id="empty"),
        pytest.param(nested(10_000).encode(), 400, "body", id="10,000 levels of arrays"),
        pytest.param(('{"a": ' + nested(10_000) + "}").encode(), 400, "body", id="10,000 levels in a field"),
        pytest.param(b'{"name": "\xff\xfe"}', 400, "body", id="not UTF-8"),
        pytest.param(b'{"price": NaN}', 400, "body", id="NaN"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_400(http, method, path, valid, data, status, field):
    assert_refused(http.request(method, path, data=data, headers=JSON), status, field)


@pytest.mark.parametrize(("method", "path", "valid"), BODY_OPERATIONS)
@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx"],
)
def test_a_body_not_declared_json_is_415(http, method, path, valid, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = http.request(method, path, data=json.dumps(valid).encode(), headers=headers)
    assert_refused(response, 415, "Content-Type")


@pytest.mark.parametrize(("method", "path", "valid"), BODY_OPERATIONS)
def test_a_body_over_64_kib_is_413(http, method, path, valid):
    response = http.request(method, path, json={**valid, "padding": "x" * 70_000})
    assert_refused(response, 413, "body")


def test_a_body_over_10_mb_is_api_gateways_413(cloud):
    """Answered on the declared length alone (sending the 10 MB would race the closing connection)."""
    host, port = cloud.api.removeprefix("http://").split(":")
    request = b"POST /product HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request + b"Content-Length: %d\r\n\r\n" % (10 * 1024 * 1024 + 1))
        answer = b"".join(iter(lambda: connection.recv(4096), b""))  # until the gateway closes
    assert answer.startswith(b"HTTP/1.1 413") and answer.endswith(b'{"message":"Request Too Long"}')


def with_line(**change) -> dict:
    return {"userName": "bad-input", "items": [{**LINE, **change}]}


@pytest.mark.parametrize(
    ("method", "path", "raw", "field"),
    [
        ("POST", "/product", '{"name": "a", "category": "c", "price": 1e400}', "price"),
        ("POST", "/product", '{"name": "a", "category": "c", "price": 1' + "0" * 1000 + "}", "price"),
        ("POST", "/product", '{"name": "a", "category": "c", "price": 1' + "0" * 5000 + "}", "body"),
        ("POST", "/product", '{"name": "a", "category": "c", "price": -1}', "price"),
        ("POST", "/product", '{"name": "a", "category": "c", "price": -1e400}', "price"),
        ("POST", "/product", '{"name": "a", "category": "c", "price": 1e-400}', "price"),
        ("PUT", f"/product/{SOME_PRODUCT}", '{"price": -0.01}', "price"),
        ("POST", "/basket", json.dumps(with_line(price=-5)), "items[0].price"),
        ("POST", "/basket", json.dumps(with_line(quantity=-1)), "items[0].quantity"),
        ("POST", "/basket", json.dumps(with_line(quantity=0)), "items[0].quantity"),
        ("POST", "/basket", json.dumps(with_line(quantity=10**1000)), "items[0].quantity"),
        (
            "POST",
            "/basket",
            json.dumps(with_line()).replace('"quantity": 1', '"quantity": 1e100000000'),
            "quantity",
        ),
        (
            "POST",
            "/basket",
            json.dumps(with_line()).replace('"quantity": 1', '"quantity": 1e-100000000'),
            "quantity",
        ),
        (
            "POST",
            "/basket",
            json.dumps(with_line()).replace('"quantity": 1', '"quantity": -1e400'),
            "quantity",
        ),
    ],
)
def test_huge_and_negative_numbers_are_400_at_once(http, method, path, raw, field):
    started = time.monotonic()
    assert_refused(http.request(method, path, data=raw.encode(), headers=JSON), 400, field)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/basket", {"userName": "bad-input", "items": [5]}, "items[0]"),
        ("POST", "/basket", {"userName": "bad-input", "items": {"productId": "p1"}}, "items"),
        ("POST", "/basket", with_line(quantity=True), "items[0].quantity"),
        ("POST", "/basket", with_line(price="10"), "items[0].price"),
        ("POST", "/basket/checkout", {**CHECKOUT, "userName": 5}, "userName"),
        ("PUT", f"/product/{SOME_PRODUCT}", {"name": None}, "name"),
        ("PUT", f"/product/{SOME_PRODUCT}", {"price": [1]}, "price"),
    ],
)
def test_wrong_json_types_are_400_in_json_words(http, method, path, body, field):
    assert_refused(http.request(method, path, json=body), 400, field)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/product", {**PRODUCT, "name": "x" * 10_000}, "name"),
        ("POST", "/product", {**PRODUCT, "description": "x" * 10_000}, "description"),
        ("PUT", f"/product/{SOME_PRODUCT}", {"category": "x" * 10_000}, "category"),
        ("POST", "/basket", with_line(productId="x" * 10_000), "items[0].productId"),
        ("POST", "/basket", {"userName": "x" * 10_000, "items": []}, "userName"),
        ("POST", "/basket/checkout", {**CHECKOUT, "address": "x" * 10_000}, "address"),
    ],
)
def test_very_long_strings_are_400(http, method, path, body, field):
    assert_refused(http.request(method, path, json=body), 400, field)


@pytest.mark.parametrize(
    ("method", "path", "status", "field"),
    [
        ("GET", "/product/{}", 404, "id"),
        ("PUT", "/product/{}", 404, "id"),
        ("DELETE", "/product/{}", 404, "id"),
        ("GET", "/basket/{}", 404, "userName"),
        ("DELETE", "/basket/{}", 404, "userName"),
        ("GET", "/order/{}", 400, "userName"),
        ("GET", "/order/bad-input/{}", 404, "orderId"),
    ],
)
@pytest.mark.parametrize(
    "value", ["x" * 10_000, "%FF%FE", "a%20b", "%00"], ids=["10k", "non-UTF-8", "space", "NUL"]
)
def test_malformed_path_parameters_name_the_parameter(http, method, path, status, field, value):
    response = http.request(method, path.format(value), json={"price": 1})
    body = assert_refused(response, status, field)
    assert "xxxxxxxxxx" not in json.dumps(body)  # not echoed


@pytest.mark.parametrize("path", ["/product", "/basket", "/order", "/order/bad-input"])
@pytest.mark.parametrize("limit", ["0", "-1", "101", "abc", "1e2", "", "9" * 100])
def test_limit_out_of_range_is_400(http, path, limit):
    assert_refused(http.get(path, params={"limit": limit}), 400, "limit")


@pytest.mark.parametrize("path", ["/product", "/basket", "/order", "/order/bad-input"])
def test_unknown_query_parameters_are_ignored(http, path):
    response = http.get(path, params={"limit": 1, "unknown": "1", "LIMIT": "0", "_": "cache-buster"})
    assert response.status_code == 200 and set(response.json()) == {"items", "nextToken"}


def token_of(http, path: str, **params) -> str:
    token = http.get(path, params={"limit": 1, **params}).json()["nextToken"]
    assert token, f"{path} {params} has a second page"
    return token


@pytest.fixture(scope="module")
def tokens(http, phone) -> dict[str, str]:
    """Real tokens of several routes and queries."""
    category = f"bad-input-{uuid.uuid4().hex[:8]}"
    for name in ("a", "b"):
        assert http.post("/product", json={**PRODUCT, "name": name, "category": category}).status_code == 201
    line = {**LINE, "productId": phone["id"]}
    for user in ("bad-input-1", "bad-input-2"):
        assert http.post("/basket", json={"userName": user, "items": [line]}).status_code == 200
    return {
        "products": token_of(http, "/product"),
        "category": token_of(http, "/product", category=category),
        "baskets": token_of(http, "/basket"),
    }


def tampered(token: str) -> str:
    key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    (name, value), *_ = key.items()
    key[name] = {"N": "1"} if "S" in value else value  # a number where the key is a string
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "params", "forge"),
    [
        ("/product", {}, lambda t: base64.urlsafe_b64encode(uuid.uuid4().bytes).decode()),
        ("/product", {}, lambda t: tampered(t["products"])),
        ("/product", {}, lambda t: t["products"][:-2]),
        ("/product", {}, lambda t: t["category"]),  # another query of the same route
        ("/product", {"category": "other"}, lambda t: t["category"]),  # the same query, another category
        ("/product", {"category": "other"}, lambda t: t["products"]),
        ("/basket", {}, lambda t: t["products"]),  # another route
        ("/basket", {}, lambda t: "A" * 5000),
        ("/order", {}, lambda t: t["baskets"]),
        ("/order/bad-input", {}, lambda t: t["products"]),
        ("/order/bad-input", {}, lambda t: "not base64 at all!"),
    ],
)
def test_forged_or_foreign_next_tokens_are_400(http, tokens, path, params, forge):
    response = http.get(path, params={**params, "nextToken": forge(tokens)})
    assert_refused(response, 400, "nextToken")
