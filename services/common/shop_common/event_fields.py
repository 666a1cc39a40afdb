"""Field types for reading events as their contracts (contracts/events/) declare them: a
consumer's model checks every constraint of the contract, so that an event breaking it is
refused (and ends in the queue's DLQ) rather than half applied."""

from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, StringConstraints


def text(max_length: int) -> Any:
    """The contract's {"type": "string", "minLength": 1, "maxLength": max_length}."""
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length)]


def not_null(value: Any) -> Any:
    """For optional fields: the contract has them as strings when present, never null."""
    if value is None:
        raise ValueError("must not be null")
    return value


def _string(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a date-time string")  # pydantic would read a number as a timestamp
    return value


# The contract's "format": "date-time": RFC 3339, with its offset.
DateTime = Annotated[AwareDatetime, BeforeValidator(_string)]
