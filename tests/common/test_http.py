import base64
import json
import re
import time
from decimal import Decimal
from typing import Annotated

import pytest
from aws_lambda_powertools import Logger
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from shop_common.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    UnavailableError,
    UnsupportedMediaTypeError,
    field_name,
)
from shop_common.http import MAX_BODY_BYTES, create_router, page_request, parse_body
from shop_common.numbers import Money, json_integer
from shop_common.rest_router import Request
from tests.helpers import api_event


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    price: Money


def event(body=None, **options) -> Request:
    return Request(api_event("POST", "/thing", body, **options))


def test_a_valid_body_becomes_the_model_with_exact_decimals():
    thing = parse_body(event({"name": "x", "price": 0.1}), Thing)
    assert thing.price == Decimal("0.1")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"raw_body": b'{"name": "x",'}, "not valid JSON"),
        ({"raw_body": b'{"name": "x", "price": NaN}'}, "NaN is not a JSON number"),
        ({"raw_body": b"[1, 2]"}, "must be a JSON object"),
        ({"raw_body": b""}, "not valid JSON"),
    ],
)
def test_malformed_bodies_are_invalid_input(options, expected):
    with pytest.raises(InvalidInputError, match=expected):
        parse_body(event(**options), Thing)


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_declared_json_is_an_unsupported_media_type(content_type):
    with pytest.raises(UnsupportedMediaTypeError) as caught:
        parse_body(event(raw_body=b'{"name": "x", "price": 1}', content_type=content_type), Thing)
    assert [e.field for e in caught.value.errors] == ["Content-Type"]


def test_content_type_parameters_are_allowed():
    assert parse_body(event({"name": "x", "price": 1}, content_type="application/json; charset=utf-8"), Thing)


def test_base64_bodies_are_decoded():
    raw = api_event("POST", "/thing", {"name": "x", "price": 1})
    raw["body"], raw["isBase64Encoded"] = base64.b64encode(raw["body"].encode()).decode(), True
    assert parse_body(Request(raw), Thing).name == "x"


def test_a_body_over_the_limit_is_too_large():
    with pytest.raises(PayloadTooLargeError):
        parse_body(event({"name": "x" * MAX_BODY_BYTES, "price": 1}), Thing)


def test_validation_errors_name_each_field_and_never_echo_values():
    with pytest.raises(InvalidInputError) as caught:
        parse_body(event({"name": 5, "price": "12.50", "cardInfo": "4111111111111111"}), Thing)
    fields = {e.field for e in caught.value.errors}
    assert fields == {"name", "price", "cardInfo"}
    assert "4111" not in str(caught.value) and all("4111" not in e.message for e in caught.value.errors)
    assert "price: must be a JSON number" in str(caught.value)


class Things(BaseModel):
    things: list[Thing]


@pytest.mark.parametrize(
    ("model", "body", "message"),
    [
        (Thing, {"name": "x", "price": 1000001}, "price: Input should be less than or equal to 1000000"),
        (Things, {"things": [5]}, "things[0]: must be a JSON object"),
        (Things, {"things": {}}, "things: must be a JSON array"),
    ],
)
def test_validation_messages_speak_json_not_python(model, body, message):
    with pytest.raises(InvalidInputError) as caught:
        parse_body(event(body), model)
    assert message in str(caught.value)
    assert not re.search(r"Decimal\(|Thing|instance of|dictionary", str(caught.value))


class Count(BaseModel):
    count: Annotated[int, Field(le=10), BeforeValidator(json_integer)]


@pytest.mark.parametrize("count", ["1e100000000", "-1e100000000", "1e-100000000", "2.5"])
def test_huge_or_fractional_numbers_in_integer_fields_are_refused_at_once(count):
    started = time.monotonic()
    with pytest.raises(InvalidInputError, match="count: must be an integer"):
        parse_body(event(raw_body=b'{"count": %s}' % count.encode()), Count)
    assert time.monotonic() - started < 1


def test_whole_numbers_written_with_a_fraction_or_an_exponent_are_integers():
    assert parse_body(event(raw_body=b'{"count": 1e1}'), Count).count == 10
    assert parse_body(event(raw_body=b'{"count": 2.0}'), Count).count == 2


def test_field_names_read_like_paths():
    assert field_name(("items", 0, "price")) == "items[0].price"
    assert field_name(()) == "body"


def test_a_deeply_nested_body_is_invalid_input_not_a_crash():
    with pytest.raises(InvalidInputError, match="nested"):
        parse_body(event(raw_body=b"[" * 50_000), Thing)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "²", "", "1" * 5000, "0010"])
def test_bad_limits_are_invalid_input(limit):
    with pytest.raises(InvalidInputError, match="limit"):
        page_request(Request(api_event("GET", "/thing", query={"limit": limit})))


def test_page_request_defaults_and_reads_the_token():
    page = page_request(Request(api_event("GET", "/thing", query={"limit": "100", "nextToken": "t"})))
    assert (page.limit, page.token) == (100, "t")
    assert page_request(Request(api_event("GET", "/thing"))).limit == 20


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInputError("bad"), 400),
        (NotFoundError("none"), 404),
        (ConflictError("clash"), 409),
        (PayloadTooLargeError("big"), 413),
        (UnsupportedMediaTypeError("not json"), 415),
        (UnavailableError("later"), 503),
        (RuntimeError("secret detail"), 500),
    ],
)
def test_the_router_answers_each_error_as_json(error, status):
    app = create_router(Logger(service="test"))

    @app.get("/fail")
    def fail():
        raise error

    response = app.resolve(api_event("GET", "/fail"))
    body = json.loads(response["body"])
    assert response["statusCode"] == status
    assert body["message"] == ("Internal server error" if status == 500 else str(error))
    assert "secret" not in response["body"] and "Traceback" not in response["body"]


def test_an_unknown_route_is_a_json_404():
    response = create_router(Logger(service="test")).resolve(api_event("GET", "/nowhere"))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["message"]


# Messages worded here, never Python's: no hint of a setting or a codec reaches a client.


@pytest.mark.parametrize(
    ("value", "field"), [(b"9" * 5000, "price"), (b"-" + b"9" * 5000, "price"), (b"9" * 5000, "name")]
)
def test_a_huge_integer_is_refused_naming_the_field_without_pythons_hint(value, field):
    other = {"price": b'"name": "x"', "name": b'"price": 1'}[field]
    body = b"{" + other + b', "' + field.encode() + b'": ' + value + b"}"
    with pytest.raises(InvalidInputError) as caught:
        parse_body(event(raw_body=body), Thing)
    assert [e.field for e in caught.value.errors] == [field]
    assert "sys." not in str(caught.value) and "set_int_max_str_digits" not in str(caught.value)


def test_a_body_that_starts_with_a_byte_order_mark_is_read():
    """RFC 8259 lets a parser ignore a BOM; Python's json would refuse it naming utf-8-sig."""
    thing = parse_body(event(raw_body=b'\xef\xbb\xbf{"name": "x", "price": 1}'), Thing)
    assert thing.name == "x"


def test_a_lone_surrogate_is_refused_naming_the_field():
    with pytest.raises(InvalidInputError) as caught:
        parse_body(event(raw_body=b'{"name": "a\\ud800", "price": 1}'), Thing)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("name", "must be Unicode text (it holds a lone surrogate)")
    ]


def test_minus_zero_is_zero():
    thing = parse_body(event(raw_body=b'{"name": "x", "price": -0.0}'), Thing)
    assert thing.price == 0 and not thing.price.is_signed()
    assert thing.model_dump_json() == '{"name":"x","price":0.0}'
