"""Numbers from JSON: money (at most 2 decimals, Decimal, never float) and counts."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

MAX_AMOUNT = Decimal("1000000")
_MAX_INTEGER_DIGITS = 18


def json_number(value: Any) -> Any:
    """Refuses strings and booleans, so that "12.50" cannot stand in for 12.50 (a defect of the reference)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a JSON number")
    return value


def json_integer(value: Any) -> Any:
    """A JSON number for an integer field, such as 2 or 2.0. Huge exponents (1e100000000,
    1e-100000000) are refused here: pydantic would spend minutes on their hundred million digits."""
    value = json_number(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError("must be an integer")
        if value.adjusted() >= _MAX_INTEGER_DIGITS:
            raise ValueError(f"must be an integer of at most {_MAX_INTEGER_DIGITS} digits")
    return value


def unsigned_zero(value: Decimal) -> Decimal:
    """-0 (or -0.00) is 0: stored and answered without its sign (JSON -0.0 would reach clients)."""
    return value.copy_abs() if value.is_zero() else value


# Amounts stay below 15 significant digits, so the float used to write the JSON number
# prints back exactly the same decimal digits. The JSON Schema (the OpenAPI documents) says
# what the validators do: a number, not a string, in cents.
Money = Annotated[
    Decimal,
    BeforeValidator(json_number),
    Field(ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False),
    AfterValidator(unsigned_zero),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": int(MAX_AMOUNT), "multipleOf": 0.01}),
]

# A total of many lines: same rules, higher bound.
Total = Annotated[
    Decimal,
    BeforeValidator(json_number),
    Field(ge=0, decimal_places=2, max_digits=15, allow_inf_nan=False),
    AfterValidator(unsigned_zero),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "multipleOf": 0.01}),
]


class Line(Protocol):
    price: Decimal
    quantity: int


def total(lines: Iterable[Line]) -> Decimal:
    """sum(price * quantity), exact: what a basket costs and what its order must say it costs."""
    return sum((line.price * line.quantity for line in lines), Decimal(0))
