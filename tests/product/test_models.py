from decimal import Decimal

import pytest
from pydantic import ValidationError

from product.catalogue import changes_of, new_product
from product.models import ProductCreate, ProductUpdate
from shop_common.errors import InvalidInputError

VALID = {"name": "IPhone X", "category": "Phone", "price": Decimal("950.50")}


def errors_of(model, data) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(map(str, e["loc"])) for e in caught.value.errors()}


def test_a_product_gets_a_fresh_id_and_defaults():
    product = new_product(ProductCreate.model_validate(VALID))
    assert len(product.id) == 36 and product.description == "" and product.imageFile is None
    assert new_product(ProductCreate.model_validate(VALID)).id != product.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"category": ""}, "category"),
        ({"price": -1}, "price"),
        ({"price": Decimal("1.005")}, "price"),
        ({"price": "12.50"}, "price"),
        ({"price": True}, "price"),
        ({"price": Decimal("1000000.01")}, "price"),
        ({"id": "mine"}, "id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_creations_name_the_field(change, field):
    assert field in errors_of(ProductCreate, {**VALID, **change})


def test_required_fields_are_required():
    assert errors_of(ProductCreate, {}) == {"name", "category", "price"}


def test_an_update_holds_only_the_fields_sent():
    assert changes_of(ProductUpdate.model_validate({"price": 10})) == {"price": 10}
    assert changes_of(ProductUpdate.model_validate({"imageFile": None})) == {"imageFile": None}


def test_an_empty_update_is_refused():
    with pytest.raises(InvalidInputError, match="at least one of"):
        changes_of(ProductUpdate.model_validate({}))


@pytest.mark.parametrize("field", ["name", "category", "price", "description"])
def test_an_update_cannot_null_a_required_field(field):
    assert field in errors_of(ProductUpdate, {field: None})


def test_an_update_cannot_change_the_id():
    assert "id" in errors_of(ProductUpdate, {"id": "other"})
