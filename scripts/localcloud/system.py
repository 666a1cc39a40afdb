"""The one place that knows the system's functions and resources, for the local cloud.

Each value mirrors the Terraform modules (names, keys, indexes, queue and rule settings,
environment variables); tests/terraform/test_local_cloud_matches.py fails when they drift.
Adding a service is adding one `Service` to SERVICES.
"""

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "shop"
ENVIRONMENT = "local"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account


def name(*parts: str) -> str:
    """Resource names carry the prefix and the environment, as in Terraform."""
    return "-".join((PREFIX, ENVIRONMENT, *parts))


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[Index, ...] = ()


@dataclass(frozen=True)
class Function:
    name: str
    package: str  # the service whose zip holds the code
    handler: str
    timeout: int  # seconds
    memory: int  # MB
    environment: dict[str, str] = field(default_factory=dict)
    max_concurrency: int = 4


@dataclass(frozen=True)
class Api:
    """A REST API whose routes are those of the service's OpenAPI document."""

    function: str
    openapi: Path


@dataclass(frozen=True)
class Service:
    name: str
    tables: tuple[Table, ...] = ()
    functions: tuple[Function, ...] = ()
    apis: tuple[Api, ...] = ()


def _api_function(service: str, table: str, **environment: str) -> Function:
    return Function(
        name=name(service),
        package=service,
        handler=f"{service}.handler.lambda_handler",
        timeout=10,
        memory=256,
        environment={
            "TABLE_NAME": table,
            "POWERTOOLS_SERVICE_NAME": service,
            "POWERTOOLS_METRICS_NAMESPACE": "Shop",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            **environment,
        },
    )


PRODUCT = Service(
    name="product",
    tables=(
        Table(
            name=name("product"),
            hash_key="id",
            indexes=(Index("category-index", hash_key="category", range_key="name"),),
        ),
    ),
    functions=(_api_function("product", name("product")),),
    apis=(Api(function=name("product"), openapi=ROOT / "services/product/openapi.yaml"),),
)

SERVICES: tuple[Service, ...] = (PRODUCT,)


def functions() -> dict[str, Function]:
    return {f.name: f for s in SERVICES for f in s.functions}
