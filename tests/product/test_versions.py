"""Optimistic concurrency on products: a version per product, sent as the ETag; If-Match on PUT
and DELETE makes a stale write a 412 instead of a silent overwrite."""

from decimal import Decimal

import boto3
import pytest

from product.catalogue import new_product
from product.models import ProductCreate
from product.repository import ProductRepository
from scripts import faults
from shop_common import clients
from shop_common.errors import NotFoundError
from shop_common.preconditions import IfMatch, VersionMismatch
from tests.helpers import ADMIN
from tests.helpers import answer as answer_for
from tests.product.conftest import TABLE

PHONE = {"name": "IPhone X", "category": "Phone", "price": 950.5}
MISSING = "00000000-0000-4000-8000-000000000000"


def answer(*arguments, **options):
    """The handler's answer to an administrator, signed in."""
    return answer_for(*arguments, caller=ADMIN, **options)


def tags(*values: str) -> IfMatch:
    return IfMatch(tags=frozenset(values))


@pytest.fixture
def created(handler):
    made = answer(handler, "POST", "/product", PHONE)
    assert made.status == 201
    return made


def test_the_version_is_the_etag_and_each_update_adds_one(handler, created):
    product_id = created.body["id"]
    assert created.headers["ETag"] == '"1"' and "version" not in created.body
    assert answer(handler, "GET", f"/product/{product_id}").headers["ETag"] == '"1"'
    updated = answer(handler, "PUT", f"/product/{product_id}", {"price": 1}, headers={"If-Match": '"1"'})
    assert (updated.status, updated.headers["ETag"], updated.body["price"]) == (200, '"2"', 1)
    unconditional = answer(handler, "PUT", f"/product/{product_id}", {"price": 2})  # If-Match is optional
    assert (unconditional.status, unconditional.headers["ETag"]) == (200, '"3"')


def test_a_stale_update_is_412_and_changes_nothing(handler, created):
    product_id = created.body["id"]
    answer(handler, "PUT", f"/product/{product_id}", {"price": 1}, headers={"If-Match": '"1"'})
    stale = answer(handler, "PUT", f"/product/{product_id}", {"price": 99}, headers={"if-match": '"1"'})
    assert stale.status == 412
    assert "If-Match" in stale.body["message"] and '"2"' in stale.body["message"]
    assert stale.body["errors"] == [{"field": "If-Match", "message": "does not match the current ETag"}]
    current = answer(handler, "GET", f"/product/{product_id}")
    assert (current.body["price"], current.headers["ETag"]) == (1, '"2"')


@pytest.mark.parametrize(
    ("header", "status"),
    [('"1"', 200), ("*", 200), ('"7", "1"', 200), ('"2"', 412), ('W/"1"', 412), ('"x"', 412), ("1", 400)],
)
def test_if_match_on_update(handler, created, header, status):
    response = answer(
        handler, "PUT", f"/product/{created.body['id']}", {"price": 3}, headers={"If-Match": header}
    )
    assert response.status == status, response.body
    if status == 400:
        assert response.body["errors"][0]["field"] == "If-Match"


def test_a_stale_delete_is_412_and_a_current_one_deletes(handler, created):
    product_id = created.body["id"]
    assert answer(handler, "DELETE", f"/product/{product_id}", headers={"If-Match": '"2"'}).status == 412
    assert answer(handler, "GET", f"/product/{product_id}").status == 200
    assert answer(handler, "DELETE", f"/product/{product_id}", headers={"If-Match": '"1"'}).status == 204
    assert answer(handler, "GET", f"/product/{product_id}").status == 404


def test_a_missing_product_is_404_whatever_if_match_says(handler):
    for header in ('"1"', "*"):
        assert (
            answer(handler, "PUT", f"/product/{MISSING}", {"price": 1}, headers={"If-Match": header}).status
            == 404
        )
        assert answer(handler, "DELETE", f"/product/{MISSING}", headers={"If-Match": header}).status == 404


@pytest.fixture
def repository(aws):
    return ProductRepository(clients.client("dynamodb"), TABLE)


def add(repository):
    product = new_product(ProductCreate(name="Phone", category="phones", price=Decimal("9.99")))
    repository.add(product)
    return product


def test_a_product_stored_before_versions_is_version_0_and_can_be_updated(repository):
    boto3.client("dynamodb").put_item(
        TableName=TABLE,
        Item={"id": {"S": MISSING}, "name": {"S": "Old"}, "category": {"S": "c"}, "price": {"N": "1"}},
    )
    assert repository.get(MISSING).version == 0
    with pytest.raises(VersionMismatch) as mismatch:
        repository.update(MISSING, {"price": Decimal(2)}, tags("1"))
    assert mismatch.value.current == "0"
    assert repository.update(MISSING, {"price": Decimal(2)}, tags("0")).version == 1


LOST = faults.LOST_ANSWER  # applied, then its answer lost (once per call)


def test_an_update_whose_answer_was_lost_is_applied_once_and_answered_as_done(repository):
    product = add(repository)
    with faults.injected(LOST) as injector:
        updated = repository.update(product.id, {"price": Decimal(5)}, tags("1"))
    # The SDK sent it twice; the retry found the write done (its writeId) instead of a stale version.
    assert injector.attempts == 2 and updated.version == 2 and updated.price == Decimal(5)
    with faults.injected(LOST):
        assert repository.update(product.id, {"name": "Other"}).version == 3  # not 4: applied once
    assert repository.get(product.id).version == 3


def test_a_create_whose_answer_was_lost_is_answered_as_done(repository):
    with faults.injected(LOST) as injector:
        product = add(repository)
    assert injector.attempts == 2 and repository.get(product.id) == product


def test_a_delete_whose_answer_was_lost_is_not_found_but_done(repository):
    product = add(repository)
    with faults.injected(LOST), pytest.raises(NotFoundError):
        repository.delete(product.id, tags("1"))
    with pytest.raises(NotFoundError):
        repository.get(product.id)
