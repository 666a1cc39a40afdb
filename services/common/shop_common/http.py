"""HTTP plumbing of the services' APIs: JSON bodies in, JSON answers and errors out.

Every error is `{"message": ..., "errors": [{"field", "message"}]?}`. No stack trace reaches a
client, and no value from a request body: it may be card data or personal data.
"""

import base64
import binascii
import json
import re
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from shop_common.errors import (
    ConflictError,
    DomainError,
    FieldError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    PreconditionFailedError,
    UnauthorizedError,
    UnavailableError,
    UnsupportedMediaTypeError,
    field_name,
)
from shop_common.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest
from shop_common.preconditions import IfMatch, etag, parse_if_match
from shop_common.rest_router import Request, Response, RestRouter
from shop_common.text import text_problem

M = TypeVar("M", bound=BaseModel)

JSON = "application/json"
MAX_BODY_BYTES = 64 * 1024
# Longer integers are read as Decimal: Python's int() refuses more than 4300 digits, and its
# message names a Python setting. The field's own bounds then refuse them, naming the field.
_INT_DIGITS = 4000
_MAX_ERRORS_IN_MESSAGE = 5
_STATUS_OF = {
    InvalidInputError: 400,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    PreconditionFailedError: 412,
    PayloadTooLargeError: 413,
    UnsupportedMediaTypeError: 415,
    UnavailableError: 503,
}


def json_response(
    status: int, payload: BaseModel | dict[str, Any] | None = None, version: str | int | None = None
) -> Response:
    """`version`: the token of the resource's version, sent as its ETag."""
    headers = {"ETag": etag(version)} if version is not None else {}
    if payload is None:
        return Response(status, "", headers)
    body = payload.model_dump_json() if isinstance(payload, BaseModel) else json.dumps(payload)
    return Response(status, body, {**headers, "Content-Type": JSON})


class Error(BaseModel):
    """The body of every error answer."""

    model_config = ConfigDict(defer_build=True)  # built at the function's first error answer

    message: str
    errors: list[FieldError] = []  # left out when empty


def error_response(status: int, message: str, errors: list[FieldError] | None = None) -> Response:
    payload = Error(message=message, errors=errors or []).model_dump(exclude_defaults=True)
    headers = {"Retry-After": "1"} if status == 503 else {}
    return Response(status, json.dumps(payload), {**headers, "Content-Type": JSON})


def create_router(logger: Logger) -> RestRouter:
    """A router of REST (v1 proxy) events whose errors all take the JSON error shape.

    Our own router (shop_common.rest_router) rather than Powertools' APIGatewayRestResolver,
    measured in each API function (python -m scripts.bench.instructions, python3.13, both in one
    session): the init took 1,609 / 1,644 / 1,622 M instructions (product / basket / order) with
    the resolver and takes 1,529 / 1,564 / 1,542 M with the router, -80 M each or -0.07x the
    baseline's 1,153 M (1.40-1.43x -> 1.33-1.36x); the first request 25.7 / 25.0 / 25.6 M ->
    21.9 / 21.5 / 22.0 M."""
    app = RestRouter()

    @app.exception_handler(DomainError)
    def _domain_error(error: DomainError) -> Response:
        status = next(s for kind, s in _STATUS_OF.items() if isinstance(error, kind))
        if status >= 500:
            logger.warning("Dependency unavailable", exc_info=error)
        elif status in (401, 403):
            logger.info("Request refused", extra={"status": status, "reason": str(error)})
        return error_response(status, str(error), error.errors)

    @app.not_found
    def _no_route() -> Response:
        return error_response(404, "No such route")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        logger.exception("Unhandled error")
        return error_response(500, "Internal server error")

    return app


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


# pydantic's messages that name Python types, in JSON's words.
_JSON_MESSAGES = {
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "string_unicode": "must be Unicode text (it holds a lone surrogate)",
}


_DECIMAL = re.compile(r"Decimal\('([^']*)'\)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair is one character once JSON is read


def _message(error: ErrorDetails) -> str:
    if error["type"] in _JSON_MESSAGES:
        return _JSON_MESSAGES[error["type"]]
    if error["type"] == "string_pattern_mismatch":
        problem = text_problem(str(error.get("ctx", {}).get("pattern")), error.get("input"))
        if problem:
            return problem
    # A limit reads 1000000, not Decimal('1000000').
    return _DECIMAL.sub(r"\1", error["msg"].removeprefix("Value error, "))


def validation_error(error: ValidationError, what: str) -> InvalidInputError:
    # With the input, for text_problem to name the character it refuses; no value is shown.
    errors = [FieldError(field_name(e["loc"]), _message(e)) for e in error.errors(include_input=True)]
    shown = "; ".join(f"{e.field}: {e.message}" for e in errors[:_MAX_ERRORS_IN_MESSAGE])
    more = len(errors) - _MAX_ERRORS_IN_MESSAGE
    return InvalidInputError(f"Invalid {what}: {shown}" + (f" (and {more} more)" if more > 0 else ""), errors)


def _integer(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= _INT_DIGITS else Decimal(digits)


def _refuse_lone_surrogates(value: Any, location: tuple[int | str, ...]) -> None:
    """A JSON escape such as \\ud800 without its pair is no character: such text cannot be stored."""
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            message = "must be Unicode text (it holds a lone surrogate)"
            raise InvalidInputError(
                f"Invalid request body: {field_name(location)}: {message}",
                [FieldError(field_name(location), message)],
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_lone_surrogates(key, location)
            _refuse_lone_surrogates(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_lone_surrogates(item, (*location, index))


def parse_body(request: Request, model: type[M]) -> M:
    """Validates a JSON object body against `model`; numbers with a fraction become Decimal.

    What reaches the client is worded here, never Python's own messages: a leading byte order
    mark is ignored (as RFC 8259 allows) rather than refused with Python's hint, and integers
    too long for Python's int() are read as Decimal, which the fields' bounds refuse."""
    media_type = (request.header("content-type") or "").split(";")[0].strip().lower()
    if media_type != JSON:
        raise UnsupportedMediaTypeError(
            "Content-Type must be application/json", [FieldError("Content-Type", "must be application/json")]
        )
    raw = request.body
    try:
        data = base64.b64decode(raw, validate=True) if request.is_base64_encoded else raw.encode()
        text = data.decode()
    except (binascii.Error, UnicodeError):
        raise InvalidInputError("Request body must be UTF-8 encoded JSON") from None
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"Request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        document = json.loads(
            text.removeprefix("\ufeff"),
            parse_float=Decimal,
            parse_int=_integer,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"Request body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except ValueError as error:
        raise InvalidInputError(f"Request body is not valid JSON: {error}") from None
    except RecursionError:
        raise InvalidInputError("Request body is nested too deeply") from None
    if not isinstance(document, dict):
        raise InvalidInputError("Request body must be a JSON object")
    _refuse_lone_surrogates(document, ())
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise validation_error(error, "request body") from None


def if_match(request: Request) -> IfMatch | None:
    """The request's If-Match (every If-Match header, as one list), or None when it has none."""
    values = request.header_values("if-match")
    if not values:
        return None
    try:
        return parse_if_match(",".join(values))
    except ValueError as error:
        raise InvalidInputError(f"If-Match {error}", [FieldError("If-Match", str(error))]) from None


def page_request(request: Request) -> PageRequest:
    """Reads `limit` (1..100, default 20) and the opaque `nextToken` from the query string."""
    raw_limit = request.query("limit")
    limit = DEFAULT_LIMIT
    if raw_limit is not None:
        digits = raw_limit.isascii() and raw_limit.isdigit() and len(raw_limit) <= 3
        if not digits or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise InvalidInputError(
                f"limit must be an integer from 1 to {MAX_LIMIT}",
                [FieldError("limit", f"must be an integer from 1 to {MAX_LIMIT}")],
            )
        limit = int(raw_limit)
    token = request.query("nextToken")
    if token == "":
        raise InvalidInputError("nextToken must not be empty", [FieldError("nextToken", "must not be empty")])
    return PageRequest(limit=limit, token=token)
