import pytest
from moto import mock_aws

from scripts.localcloud import system
from tests.helpers import create_tables, fresh_import

TABLE = system.PRODUCT.tables[0].name


@pytest.fixture
def aws():
    with mock_aws():
        create_tables(system.PRODUCT)
        yield


@pytest.fixture
def handler(aws, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("ADMIN_GROUP", system.ADMIN_GROUP)
    return fresh_import("product.handler")
