"""The checkout's e-mail addresses: the ones EmailStr accepts, normalised as it does, without
importing email-validator for plain addresses."""

import subprocess
import sys
from typing import Annotated

import email_validator
import pytest
from email_validator import rfc_constants
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import domains
from pydantic import EmailStr, Field, TypeAdapter, ValidationError

from basket import email_address
from basket.email_address import Email
from scripts.localcloud import system

OURS = TypeAdapter(Email)
PYDANTIC = TypeAdapter(Annotated[EmailStr, Field(max_length=254)])  # what the checkout used before


def outcome(adapter: TypeAdapter, value: str) -> str:
    """The normalised address, or "refused" (an address over 254 characters is refused for its
    length here before any other check, where EmailStr said what else was wrong with it)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return "refused"


EDGES = [
    "m@example.com",
    "First.Last+tag@Sub.Example.COM",
    "Postmaster@example.com",
    "WWW@EXAMPLE.ORG",
    "a@b@example.com",
    "nope",
    "@example.com",
    "a@",
    "a@example",
    "a@example.123",
    "a@example.c0m",
    "a@localhost",
    "a@mail.local",
    "a@x.onion",
    "a@site.test",
    "a@in-addr.arpa",
    "a@ab--cd.com",
    "a@xn--bcher-kva.example",
    "a@xn--zz.example",
    "a@-example.com",
    "a@example-.com",
    "a..b@example.com",
    ".a@example.com",
    "a.@example.com",
    " a@example.com ",
    "a @example.com",
    "John Doe <john@example.com>",
    '"quoted"@example.com',
    "üser@example.com",
    "user@bücher.example",
    "user@BÜCHER.example",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["b" * 63] * 4) + ".com",
    "x" * 65 + "@example.com",
    "x" * 64 + "@example.com",
    "x" * 240 + "@example.com",
    "a\n@example.com",
    "a@example.com\r",
    "!#$%&'*+/=?^_`{|}~-@example.com",
    "a@[127.0.0.1]",
]


@pytest.mark.parametrize("address", EDGES)
def test_an_address_is_accepted_and_normalised_exactly_as_emailstr_does(address):
    assert outcome(OURS, address) == outcome(PYDANTIC, address)


LOCAL = st.text("abcXYZ019.!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=70)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.emails(), st.builds("{}@{}".format, LOCAL, domains()), st.text(max_size=40)))
def test_generated_addresses_get_what_emailstr_gives_them(address):
    assert outcome(OURS, address) == outcome(PYDANTIC, address)


def test_the_lists_copied_from_email_validator_are_its_own():
    assert list(email_address.SPECIAL_USE_DOMAINS) == email_validator.SPECIAL_USE_DOMAIN_NAMES
    assert set(rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES) == email_address.ROLE_MAILBOXES


def test_a_plain_address_does_not_import_email_validator_and_another_does():
    check = (
        "import sys\n"
        "from basket.models import CheckoutRequest\n"
        "details = dict(userName='u', firstName='F', lastName='L', address='A', paymentMethod='card')\n"
        "CheckoutRequest(email='a.b@example.com', **details)\n"
        "print('email_validator' in sys.modules)\n"
        "CheckoutRequest(email='ü@bücher.example', **details)\n"
        "print('email_validator' in sys.modules)\n"
    )
    path = f"{system.ROOT / 'services' / 'basket'}:{system.ROOT / 'services' / 'common'}"
    result = subprocess.run(
        [sys.executable, "-c", check], env={"PYTHONPATH": path}, capture_output=True, text=True
    )
    assert result.stdout.split() == ["False", "True"], result.stderr
