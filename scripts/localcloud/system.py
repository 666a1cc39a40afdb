"""The one place that knows the system's functions and resources, for the local cloud.

Each value mirrors the Terraform modules (names, keys, indexes, queue and rule settings,
environment variables); tests/terraform/test_local_cloud_matches.py fails when they drift.
Adding a service is adding one `Service` to SERVICES.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    stream: str | None = None  # the stream's view type (NEW_AND_OLD_IMAGES...); None: no stream


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
    """A REST API whose routes are those of the service's OpenAPI document. The operations
    that the document secures with a cognito_user_pools scheme are authorized by `user_pool`."""

    name: str
    function: str
    openapi: Path
    user_pool: str | None = None
    url_parameter: str | None = None  # the SSM parameter that publishes its URL, as the rest-api module's


@dataclass(frozen=True)
class UserPool:
    """A Cognito user pool with one app client (no secret) and an admin group. Its ids are
    known once it exists: they are published as SSM parameters under `parameter_path`."""

    name: str
    client: str
    admin_group: str
    parameter_path: str
    min_password_length: int = 12


@dataclass(frozen=True)
class Queue:
    name: str
    visibility_timeout: int = 30
    retention: int = 345600  # 4 days
    receive_wait: int = 0
    dead_letter_queue: str | None = None  # the redrive target
    max_receive_count: int | None = None


@dataclass(frozen=True)
class Rule:
    """An EventBridge rule whose target is an SQS queue (with its own delivery DLQ)."""

    name: str
    bus: str
    pattern: dict
    queue: str
    delivery_dlq: str


@dataclass(frozen=True)
class EventSourceMapping:
    queue: str
    function: str
    batch_size: int
    batching_window: int  # seconds
    max_concurrency: int


@dataclass(frozen=True)
class StreamMapping:
    """A DynamoDB stream event source mapping (ReportBatchItemFailures, from TRIM_HORIZON)."""

    table: str
    function: str
    batch_size: int
    bisect: bool
    max_retries: int
    max_record_age: int  # seconds
    on_failure: str  # the SQS queue that gets the descriptions of records given up


@dataclass(frozen=True)
class Service:
    name: str
    tables: tuple[Table, ...] = ()
    functions: tuple[Function, ...] = ()
    apis: tuple[Api, ...] = ()
    buses: tuple[str, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)  # SSM parameters it publishes
    queues: tuple[Queue, ...] = ()
    rules: tuple[Rule, ...] = ()
    mappings: tuple[EventSourceMapping, ...] = ()
    stream_mappings: tuple[StreamMapping, ...] = ()
    user_pools: tuple[UserPool, ...] = ()


def _function(
    service: str,
    table: str | None,
    suffix: str = "",
    module: str = "handler",
    timeout: int = 20,
    **environment: str,
) -> Function:
    """`table`: its TABLE_NAME, the service's table it works on (None: none)."""
    return Function(
        name=name(service, *filter(None, [suffix])),
        package=service,
        handler=f"{service}.{module}.lambda_handler",
        timeout=timeout,
        memory=256,
        environment={
            **({"TABLE_NAME": table} if table else {}),
            "POWERTOOLS_SERVICE_NAME": service,
            "POWERTOOLS_METRICS_NAMESPACE": f"{PREFIX}-{ENVIRONMENT}",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            **environment,
        },
    )


# The identity root publishes the admin group's name; the APIs' functions get it as ADMIN_GROUP.
ADMIN_GROUP = "admin"
USER_POOL = name("users")
IDENTITY_PARAMETERS = f"/{PREFIX}/{ENVIRONMENT}/identity"
IDENTITY = Service(
    name="identity",
    user_pools=(
        UserPool(
            name=USER_POOL, client=name("web"), admin_group=ADMIN_GROUP, parameter_path=IDENTITY_PARAMETERS
        ),
    ),
)


def _api(service: str, function: str) -> Api:
    """The service's REST API, from its openapi.yaml, authorized by the shop's user pool."""
    return Api(
        name=name(service),
        function=function,
        openapi=ROOT / "services" / service / "openapi.yaml",
        user_pool=USER_POOL,
        url_parameter=f"/{PREFIX}/{ENVIRONMENT}/{service}/api-url",
    )


def _subscription(
    queue: str, rule: str, pattern: dict[str, Any], function: str, timeout: int
) -> dict[str, Any]:
    """A service's subscription to the bus, as Terraform's eventing/modules/subscription makes it:
    rule -> queue (and its DLQ) -> `function` (whose timeout is `timeout`); undeliverable events
    go to a delivery DLQ. Service's queues, rules and mappings, as keyword arguments."""
    return {
        "queues": (
            Queue(
                name=queue,
                visibility_timeout=6 * timeout,
                receive_wait=20,
                dead_letter_queue=f"{queue}-dlq",
                max_receive_count=5,
            ),
            Queue(name=f"{queue}-dlq", retention=1209600),
            Queue(name=f"{queue}-delivery-dlq", retention=1209600),
        ),
        "rules": (
            Rule(name=rule, bus=BUS, pattern=pattern, queue=queue, delivery_dlq=f"{queue}-delivery-dlq"),
        ),
        "mappings": (
            EventSourceMapping(
                queue=queue, function=function, batch_size=10, batching_window=0, max_concurrency=2
            ),
        ),
    }


BUS = name("events")

# The product table's stream -> the publisher -> ProductChanged / ProductDeleted on the bus.
PUBLISHER_TIMEOUT = 30
PRODUCT_EVENTS_FAILED = name("product", "events", "failed")  # the stream mapping's on-failure queue
PRODUCT = Service(
    name="product",
    tables=(
        Table(
            name=name("product"),
            hash_key="id",
            indexes=(
                Index("category-index", hash_key="category", range_key="name"),
                Index("catalogue-index", hash_key="catalogue", range_key="name"),
            ),
            stream="NEW_AND_OLD_IMAGES",
        ),
    ),
    functions=(
        _function("product", name("product"), ADMIN_GROUP=ADMIN_GROUP),
        _function(
            "product",
            None,
            suffix="publisher",
            module="stream",
            timeout=PUBLISHER_TIMEOUT,
            EVENT_BUS_NAME=BUS,
        ),
    ),
    apis=(_api("product", name("product")),),
    queues=(Queue(name=PRODUCT_EVENTS_FAILED, retention=1209600),),
    stream_mappings=(
        StreamMapping(
            table=name("product"),
            function=name("product", "publisher"),
            batch_size=10,
            bisect=True,
            max_retries=10,
            max_record_age=3600,
            on_failure=PRODUCT_EVENTS_FAILED,
        ),
    ),
)
EVENTING = Service(
    name="eventing",
    buses=(BUS,),
    parameters={
        f"/{PREFIX}/{ENVIRONMENT}/eventing/bus-name": BUS,
        f"/{PREFIX}/{ENVIRONMENT}/eventing/bus-arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{BUS}",
    },
)

# The basket's catalogue replica, fed by its own subscription to the product events.
CATALOGUE_TABLE = name("basket", "catalogue")
CATALOGUE_QUEUE = name("basket", "catalogue")
REPLICA_CONSUMER_TIMEOUT = 30
BASKET = Service(
    name="basket",
    tables=(
        Table(name=name("basket"), hash_key="userName"),
        Table(name=CATALOGUE_TABLE, hash_key="productId"),
    ),
    functions=(
        _function(
            "basket",
            name("basket"),
            EVENT_BUS_NAME=BUS,
            ADMIN_GROUP=ADMIN_GROUP,
            CATALOGUE_TABLE_NAME=CATALOGUE_TABLE,
        ),
        _function(
            "basket",
            None,
            suffix="catalogue-consumer",
            module="replica_consumer",
            timeout=REPLICA_CONSUMER_TIMEOUT,
            CATALOGUE_TABLE_NAME=CATALOGUE_TABLE,
        ),
    ),
    apis=(_api("basket", name("basket")),),
    **_subscription(
        CATALOGUE_QUEUE,
        name("basket", "catalogue", "product"),
        {"source": ["shop.product"], "detail-type": ["ProductChanged", "ProductDeleted"]},
        name("basket", "catalogue-consumer"),
        REPLICA_CONSUMER_TIMEOUT,
    ),
)

CONSUMER_TIMEOUT = 30
ORDER_QUEUE = name("order", "checkout")
ORDER = Service(
    name="order",
    tables=(
        Table(
            name=name("orders"),
            hash_key="orderId",
            indexes=(Index("user-index", hash_key="userName", range_key="orderKey"),),
        ),
    ),
    functions=(
        _function("order", name("orders"), suffix="api", ADMIN_GROUP=ADMIN_GROUP),
        _function("order", name("orders"), suffix="consumer", module="consumer", timeout=CONSUMER_TIMEOUT),
    ),
    apis=(_api("order", name("order", "api")),),
    **_subscription(
        ORDER_QUEUE,
        name("order", "checkout", "basket"),
        {"source": ["shop.basket"], "detail-type": ["CheckoutBasket"]},
        name("order", "consumer"),
        CONSUMER_TIMEOUT,
    ),
)

# Eventing and identity first: the services read their parameters.
SERVICES: tuple[Service, ...] = (EVENTING, IDENTITY, PRODUCT, BASKET, ORDER)
