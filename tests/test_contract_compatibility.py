"""Event contracts stay compatible with their released versions (scripts/contracts.py)."""

import copy
import json

import pytest

from scripts import contracts

RELEASED = json.loads((contracts.RELEASED / "CheckoutBasket.json").read_text())


def changed(edit) -> dict:
    schema = copy.deepcopy(RELEASED)
    edit(schema)
    return schema


def detail(schema: dict) -> dict:
    return schema["definitions"]["CheckoutBasket"]


def item(schema: dict) -> dict:
    return schema["definitions"]["BasketItem"]


def test_every_contract_is_compatible_with_its_released_version():
    assert contracts.check() == {}


def test_every_contract_has_been_released():
    """A new contract is released with the change that adds it (make release-contracts)."""
    assert {p.name for p in contracts.RELEASED.glob("*.json")} == {
        p.name for p in contracts.contracts().values()
    }


def test_the_unchanged_schema_is_compatible():
    assert contracts.breaking_changes(RELEASED, copy.deepcopy(RELEASED)) == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: detail(s)["properties"].update(giftWrap={"type": "boolean"}),
        lambda s: item(s)["properties"].update(sku={"type": "string", "maxLength": 40}),
        lambda s: detail(s).update(description="reworded"),
        lambda s: item(s)["properties"]["price"].update(description="in euros"),
        lambda s: s["examples"].pop(),
        lambda s: detail(s).pop("additionalProperties"),
    ],
    ids=["optional field", "optional nested field", "description", "property description", "example", "open"],
)
def test_what_no_producer_or_consumer_notices_passes(edit):
    assert contracts.breaking_changes(RELEASED, changed(edit)) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: detail(s)["properties"].pop("address"), "#/properties/detail/properties/address: removed"),
        (
            lambda s: detail(s)["properties"].update(street=detail(s)["properties"].pop("address")),
            "#/properties/detail/properties/address: removed",
        ),
        (
            lambda s: item(s)["properties"]["quantity"].update(type="string"),
            "#/properties/detail/properties/items/items/properties/quantity: type changed",
        ),
        (lambda s: item(s)["required"].append("color"), "/properties/color: made required"),
        (lambda s: item(s)["required"].remove("productName"), "/properties/productName: made optional"),
        (
            lambda s: (
                detail(s)["properties"].update(coupon={"type": "string"}),
                detail(s)["required"].append("coupon"),
            ),
            "#/properties/detail/properties/coupon: added as required",
        ),
        (lambda s: item(s)["properties"]["quantity"].update(maximum=99), "quantity: maximum changed"),
        (lambda s: item(s)["properties"]["quantity"].update(maximum=9999), "quantity: maximum changed"),
        (lambda s: s["properties"]["source"]["enum"].append("shop.legacy"), "source: enum changed"),
        (lambda s: detail(s)["properties"]["email"].pop("format"), "email: format changed"),
    ],
    ids=[
        "removed",
        "renamed",
        "retyped",
        "made required",
        "made optional",
        "added required",
        "tightened",
        "loosened",
        "enum widened",
        "format dropped",
    ],
)
def test_a_change_that_breaks_a_producer_or_consumer_fails(edit, expected):
    found = contracts.breaking_changes(RELEASED, changed(edit))
    assert any(expected in line for line in found), found


def test_release_refuses_a_break_and_records_a_compatible_change(tmp_path, monkeypatch):
    current, released = tmp_path / "events", tmp_path / "events" / "released"
    released.mkdir(parents=True)
    (released / "CheckoutBasket.json").write_text(json.dumps(RELEASED))
    monkeypatch.setattr(contracts, "CONTRACTS", current)
    monkeypatch.setattr(contracts, "RELEASED", released)

    (current / "CheckoutBasket.json").write_text(
        json.dumps(changed(lambda s: detail(s)["properties"].pop("email")))
    )
    with pytest.raises(SystemExit, match="email: removed"):
        contracts.release()
    assert json.loads((released / "CheckoutBasket.json").read_text()) == RELEASED

    grown = changed(lambda s: detail(s)["properties"].update(note={"type": "string"}))
    (current / "CheckoutBasket.json").write_text(json.dumps(grown))
    assert contracts.release() == ["CheckoutBasket.json"]
    assert json.loads((released / "CheckoutBasket.json").read_text()) == grown
