"""Text and names over HTTP on the local cloud: control and bidirectional characters are refused
naming the field, -0 is stored as 0, no error carries a Python hint, and the reserved user name
`checkout` is refused by the API and by `make token`."""

import re

import pytest

from scripts import fuzz
from scripts import token as token_cli
from tests.e2e.conftest import new_user

LINE = {"productId": "p1", "quantity": 1}
DETAILS = {
    "firstName": "A",
    "lastName": "B",
    "email": "a@example.com",
    "address": "C",
    "paymentMethod": "card",
}


def refused(response, field: str) -> str:
    assert response.status_code == 400, response.text
    (error,) = [e for e in response.json()["errors"] if e["field"] == field]
    return error["message"]


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u2066", "\x1b", "\n"], ids=repr)
def test_control_characters_are_400_naming_the_field(admin, character):
    name = f"Phone{character}X"
    message = refused(admin.post("/product", json={"name": name, "category": "c", "price": 1}), "name")
    assert f"U+{ord(character):04X}" in message
    user = new_user("text")
    basket = {"userName": user, "items": [{**LINE, "color": name}]}
    assert "must not contain" in refused(admin.post("/basket", json=basket), "items[0].color")
    checkout = {"userName": user, **DETAILS, "address": f"Rua{character}1"}
    assert "must not contain" in refused(admin.post("/basket/checkout", json=checkout), "address")


def test_a_description_keeps_its_line_breaks(admin):
    created = admin.post(
        "/product", json={"name": "Lamp", "category": "c", "price": 1, "description": "Bright.\nWarm.\n"}
    )
    assert created.status_code == 201 and created.json()["description"] == "Bright.\nWarm.\n"


def test_minus_zero_is_stored_as_zero(admin):
    body = '{"name": "Free", "category": "c", "price": -0.0}'
    created = admin.post("/product", data=body, headers={"Content-Type": "application/json"})
    assert created.status_code == 201
    for answer in (created.text, admin.get(f"/product/{created.json()['id']}").text):
        # The price as written in the JSON ("-0" may also occur in the id, a UUID).
        written = re.search(r'"price":\s*(-?[0-9.eE+-]+)', answer).group(1)
        assert float(written) == 0 and not written.startswith("-"), answer


@pytest.mark.parametrize(
    "body",
    [b'{"name": "x", "category": "c", "price": ' + b"9" * 5000 + b"}", b'\xef\xbb\xbf{"name": "x"'],
    ids=["huge integer", "byte order mark"],
)
def test_no_error_carries_a_python_hint(admin, body):
    response = admin.post("/product", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert fuzz.leaked(response.text) is None
    assert "sys." not in response.text and "utf-8-sig" not in response.text


def test_a_body_with_a_byte_order_mark_is_read(admin):
    body = '\ufeff{"name": "Bom", "category": "c", "price": 1}'.encode()
    assert admin.post("/product", data=body, headers={"Content-Type": "application/json"}).status_code == 201


def test_the_reserved_user_name_is_refused_by_the_api(admin, sign_in):
    assert "reserved" in refused(
        admin.post("/basket", json={"userName": "checkout", "items": [LINE]}), "userName"
    )
    assert "reserved" in refused(
        admin.post("/basket/checkout", json={"userName": "checkout", **DETAILS}), "userName"
    )
    assert "reserved" in refused(admin.get("/order/checkout"), "userName")
    # A pool user of that name (the pool itself does not know the rule) can own nothing.
    as_checkout = sign_in("checkout")
    assert "reserved" in refused(as_checkout.post("/basket/checkout", json=DETAILS), "userName")


def test_make_token_refuses_the_reserved_user_name(capsys):
    assert token_cli.main(["checkout"]) == 2
    assert "reserved" in capsys.readouterr().err
