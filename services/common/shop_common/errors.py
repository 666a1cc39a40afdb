"""Errors that the domain raises; the HTTP layer maps each kind to a status code."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def field_name(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a client reads it: ('items', 0, 'price') -> 'items[0].price'."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


class DomainError(Exception):
    """A failure the client caused or can act on. Its message and errors are safe to show to clients."""

    def __init__(self, message: str, errors: Iterable[FieldError] = ()):
        super().__init__(message)
        self.errors = list(errors)


class InvalidInputError(DomainError):
    pass


class PayloadTooLargeError(DomainError):
    pass


class UnauthorizedError(DomainError):
    """No verified identity came with the request."""


class ForbiddenError(DomainError):
    """The caller is known, but may not do this."""


class UnsupportedMediaTypeError(DomainError):
    """A body that does not say it is JSON (API Gateway's proxy passes any Content-Type through)."""


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    pass


class PreconditionFailedError(DomainError):
    """The client's If-Match names a version that is no longer current (a concurrent write won)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.errors = [FieldError("If-Match", "does not match the current ETag")]


class UnavailableError(DomainError):
    """A dependency refused or failed; the same request can succeed later."""
