"""E-mail addresses as pydantic's EmailStr accepts and normalises them, without its import cost
for the addresses people type.

EmailStr imports email-validator, and with it idna's Unicode tables, when the first model that
uses it is built: a basket function paid for that at every cold start (issue 16). Here an
address of plain ASCII (a dot-atom before the @, host name labels after it, a top-level domain
ending in a letter, not a special-use domain) is checked by one pattern and normalised as
email-validator does (the domain lowercased, and role mailboxes such as Postmaster too).
Anything else (Unicode, quoting, a display name, spaces, a "--" label, an overlong local part)
goes to EmailStr's own validation, imported only then, which accepts or refuses it with its
message. The accepted addresses and their normalised form are therefore EmailStr's
(tests/basket/test_email_address.py compares the two).
"""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>(?:{_LABEL}\.)+{_LABEL})")
_LOCAL_MAX = 64  # longer local parts are left to email-validator, which allows them
_DOMAIN_MAX = 253
MAX_LENGTH = 254  # RFC 5321 with its errata, as email-validator checks
# As email-validator 2.4 has them (its SPECIAL_USE_DOMAIN_NAMES and CASE_INSENSITIVE_MAILBOX_NAMES).
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
ROLE_MAILBOXES = frozenset(
    {
        "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
        "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp",
    }
)  # fmt: skip


def _plain(value: str) -> str | None:
    """The normalised address if `value` is a plain ASCII address, else None."""
    match = _PLAIN.fullmatch(value)
    if match is None:
        return None
    local, domain = match["local"], match["domain"].lower()
    top = domain.rsplit(".", 1)[1]
    special = any(domain == name or domain.endswith(f".{name}") for name in SPECIAL_USE_DOMAINS)
    if (
        len(local) > _LOCAL_MAX
        or len(domain) > _DOMAIN_MAX
        or "--" in domain
        or special
        or not top[-1].isalpha()
    ):
        return None
    return f"{local.lower() if local.lower() in ROLE_MAILBOXES else local}@{domain}"


def normalise(value: str) -> str:
    """`value` as EmailStr returns it; pydantic's validation error (a value_error) if it refuses it."""
    plain = _plain(value)
    if plain is not None:
        return plain
    from pydantic.networks import validate_email  # the rare address: EmailStr's rules decide

    return validate_email(value)[1]


# The JSON Schema is EmailStr's with the length bound, so the OpenAPI documents do not change.
Email = Annotated[
    str,
    StringConstraints(max_length=MAX_LENGTH),
    AfterValidator(normalise),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": MAX_LENGTH}),
]
