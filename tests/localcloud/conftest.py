from tests.order.conftest import aws, consumer  # noqa: F401 - the order consumer's fixtures
