from decimal import Decimal

import boto3
import pytest

from product.catalogue import new_product
from product.models import ProductCreate
from product.repository import ProductRepository
from scripts.backfill_catalogue import backfill
from shop_common.errors import InvalidInputError, NotFoundError
from shop_common.pagination import PageRequest
from tests.product.conftest import TABLE

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def repository(aws):
    return ProductRepository(boto3.client("dynamodb"), TABLE)


def add(repository, name="Phone", category="phones", price="9.99"):
    product = new_product(ProductCreate(name=name, category=category, price=Decimal(price)))
    repository.add(product)
    return product


def test_a_product_reads_back_as_written(repository):
    product = add(repository)
    assert repository.get(product.id) == product


@pytest.mark.parametrize("product_id", [MISSING, "not-a-uuid", "x" * 5000])
def test_unknown_products_are_not_found(repository, product_id):
    with pytest.raises(NotFoundError):
        repository.get(product_id)
    with pytest.raises(NotFoundError):
        repository.update(product_id, {"price": Decimal(1)})
    with pytest.raises(NotFoundError):
        repository.delete(product_id)


def test_pages_cover_every_product_once_and_end_without_an_empty_page(repository):
    added = {add(repository, name=f"p{i}").id for i in range(7)}
    seen, token, pages = [], None, 0
    while True:
        page = repository.list(PageRequest(limit=3, token=token))
        pages += 1
        assert page.items, "no page is empty"
        seen += [p.id for p in page.items]
        token = page.nextToken
        if token is None:
            break
    assert sorted(seen) == sorted(added) and pages == 3


def test_the_whole_catalogue_lists_by_name_with_queries_only(repository, monkeypatch):
    for name, category in (("b", "phones"), ("a", "books"), ("c", "phones")):
        add(repository, name=name, category=category)
    monkeypatch.setattr(repository._client, "scan", None)  # a Scan would fail
    first = repository.list(PageRequest(limit=2))
    second = repository.list(PageRequest(limit=2, token=first.nextToken))
    assert [p.name for p in first.items + second.items] == ["a", "b", "c"]
    assert second.nextToken is None


def stored_before_the_catalogue_index(product_id: str, name: str) -> None:
    boto3.client("dynamodb").put_item(
        TableName=TABLE,
        Item={"id": {"S": product_id}, "name": {"S": name}, "category": {"S": "old"}, "price": {"N": "1"}},
    )


def test_an_older_product_joins_the_listing_when_updated_or_backfilled(repository):
    older, oldest = "00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"
    stored_before_the_catalogue_index(older, "older")
    stored_before_the_catalogue_index(oldest, "oldest")
    assert repository.list(PageRequest(limit=10)).items == []
    repository.update(older, {"price": Decimal(2)})
    assert [p.id for p in repository.list(PageRequest(limit=10)).items] == [older]
    assert backfill(boto3.client("dynamodb"), TABLE) == 1
    assert backfill(boto3.client("dynamodb"), TABLE) == 0  # again: nothing left to do
    assert [p.id for p in repository.list(PageRequest(limit=10)).items] == [older, oldest]


def test_a_category_lists_by_name_through_its_index(repository):
    for name in ("b", "a", "c"):
        add(repository, name=name, category="phones")
    add(repository, name="z", category="books")
    first = repository.list(PageRequest(limit=2), category="phones")
    second = repository.list(PageRequest(limit=2, token=first.nextToken), category="phones")
    assert [p.name for p in first.items + second.items] == ["a", "b", "c"]
    assert second.nextToken is None


def test_a_token_of_one_category_is_refused_for_another(repository):
    for name in ("a", "b"):
        add(repository, name=name)
    token = repository.list(PageRequest(limit=1), category="phones").nextToken
    with pytest.raises(InvalidInputError):
        repository.list(PageRequest(limit=1, token=token), category="books")
    with pytest.raises(InvalidInputError):
        repository.list(PageRequest(limit=1, token=token))


def test_an_update_changes_only_the_given_fields(repository):
    product = add(repository)
    updated = repository.update(product.id, {"price": Decimal("5.50"), "imageFile": "a.png"})
    assert updated.model_dump() == {**product.model_dump(), "price": Decimal("5.50"), "imageFile": "a.png"}
    assert repository.update(product.id, {"imageFile": None}).imageFile is None


def test_delete_removes(repository):
    product = add(repository)
    repository.delete(product.id)
    with pytest.raises(NotFoundError):
        repository.get(product.id)
