from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from basket.replica import CatalogueReplica
from scripts.faults.bus_events import BusEvents
from scripts.localcloud import system
from tests.helpers import create_tables, fresh_import

TABLE = system.BASKET.tables[0].name
CATALOGUE_TABLE = system.CATALOGUE_TABLE
BUS = system.BUS
# The product every test basket holds, as the catalogue replica knows it.
PRODUCT = {"productId": "p1", "name": "IPhone", "price": Decimal("950.50")}


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.BASKET)
        yield


@pytest.fixture
def published(aws):
    return BusEvents("shop.basket")


class Catalogue(CatalogueReplica):
    """The replica on moto, with p1 in it; `offer` and `withdraw` change it as events would."""

    def __init__(self):
        super().__init__(boto3.client("dynamodb"), CATALOGUE_TABLE)
        self.versions: dict[str, int] = {}
        self.offer(PRODUCT["productId"], PRODUCT["name"], PRODUCT["price"])

    def offer(self, product_id: str, name: str, price: Decimal | str) -> None:
        """The product at its next version, as a ProductChanged would make it."""
        self.versions[product_id] = self.versions.get(product_id, 0) + 1
        assert self.apply_change(product_id, self.versions[product_id], name, Decimal(price))

    def withdraw(self, product_id: str) -> None:
        assert self.apply_delete(product_id, self.versions[product_id])


@pytest.fixture
def catalogue(aws):
    return Catalogue()


@pytest.fixture
def handler(published, catalogue, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("CATALOGUE_TABLE_NAME", CATALOGUE_TABLE)
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    monkeypatch.setenv("ADMIN_GROUP", system.ADMIN_GROUP)
    return fresh_import("basket.handler")


@pytest.fixture
def replica_consumer(aws, monkeypatch):
    monkeypatch.setenv("CATALOGUE_TABLE_NAME", CATALOGUE_TABLE)
    return fresh_import("basket.replica_consumer")
