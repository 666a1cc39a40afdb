"""One local cloud for the whole test session, started as `make run` starts it.

`http` calls the APIs anonymously; `sign_in(user, admin=False)` gives a session that sends
that user's ID token (from the local user pool, as `make token` gets it), and `admin` one
of an administrator.
"""

import json
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

from scripts.localcloud import process, system
from scripts.localcloud.process import RunningCloud
from scripts.token import id_token

REDELIVERY_SECONDS = 2  # failed records come back after 2 s instead of 6 x the consumer timeout


class Cloud(RunningCloud):
    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.aws, region_name=system.REGION)

    def log_lines(self, function: str) -> list[dict]:
        path = self.state / "logs" / f"{function}.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]

    def token(self, user: str, admin: bool = False) -> str:
        """An ID token of `user` (created if needed), in the admin group or not."""
        return id_token(self.aws, user, admin)


def start_cloud(state: Path, *arguments: str) -> Cloud:
    try:
        running = process.start(state, *arguments)
    except RuntimeError as error:
        pytest.fail(str(error))
    return Cloud(**vars(running))


@pytest.fixture(scope="session")
def cloud(tmp_path_factory):
    running = start_cloud(
        tmp_path_factory.mktemp("localcloud"), "--redelivery-seconds", str(REDELIVERY_SECONDS)
    )
    yield running
    running.stop()


class ApiSession(requests.Session):
    """requests with the local API's base URL and a timeout; with a token, signed in."""

    def __init__(self, base_url: str, token: str | None = None):
        super().__init__()
        self.base_url = base_url
        if token:
            self.headers["Authorization"] = token  # the ID token as is, as API Gateway takes it

    def request(self, method, url, *args, **options):
        options.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, **options)


@pytest.fixture(scope="session")
def http(cloud):
    with ApiSession(cloud.api) as session:
        yield session


@pytest.fixture(scope="session")
def sign_in(cloud):
    """sign_in(user, admin=False): an ApiSession of that user, one per user for the session."""

    sessions: dict[tuple[str, bool], ApiSession] = {}

    def session(user: str, admin: bool = False) -> ApiSession:
        if (user, admin) not in sessions:
            sessions[user, admin] = ApiSession(cloud.api, cloud.token(user, admin))
        return sessions[user, admin]

    yield session
    for opened in sessions.values():
        opened.close()


@pytest.fixture(scope="session")
def admin(sign_in):
    return sign_in("shop-admin", admin=True)


class Catalogue:
    """Products made by an administrator, each returned once the basket's catalogue replica holds
    it: the replica is fed asynchronously (the table's stream, the publisher, the bus, the
    catalogue queue), so tests wait for it, polling with a bound, never for a fixed time."""

    def __init__(self, cloud: "Cloud", admin: ApiSession):
        self._admin = admin
        self._dynamodb = cloud.client("dynamodb")

    def entry(self, product_id: str) -> dict | None:
        """The replica's item of the product (as DynamoDB JSON), or None."""
        return self._dynamodb.get_item(
            TableName=system.CATALOGUE_TABLE, Key={"productId": {"S": product_id}}, ConsistentRead=True
        ).get("Item")

    def replicated(self, product_id: str, version: int, deleted: bool = False, timeout: float = 30) -> None:
        def holds() -> bool:
            """the replica holds the product at this version"""
            item = self.entry(product_id)
            return (
                item is not None and int(item["version"]["N"]) == version and ("deleted" in item) == deleted
            )

        eventually(holds, timeout=timeout, interval=0.05)

    def product(self, name: str = "Phone", price: float = 10, category: str = "e2e") -> dict:
        """A new product, once the replica has it."""
        response = self._admin.post("/product", json={"name": name, "category": category, "price": price})
        assert response.status_code == 201, response.text
        product = response.json()
        self.replicated(product["id"], 1)
        return product

    def update(self, product_id: str, **changes) -> dict:
        response = self._admin.put(f"/product/{product_id}", json=changes)
        assert response.status_code == 200, response.text
        self.replicated(product_id, int(response.headers["ETag"].strip('"')))
        return response.json()

    def delete(self, product_id: str) -> None:
        version = int(self._admin.get(f"/product/{product_id}").headers["ETag"].strip('"'))
        assert self._admin.delete(f"/product/{product_id}").status_code == 204
        self.replicated(product_id, version, deleted=True)


@pytest.fixture(scope="session")
def catalogue(cloud, admin) -> Catalogue:
    return Catalogue(cloud, admin)


@pytest.fixture(scope="session")
def phone(catalogue) -> dict:
    """A product at 10 that no test changes, in the replica: for baskets that need any product."""
    return catalogue.product("Phone", 10)


def new_user(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def eventually(check, timeout: float = 30, interval: float = 0.1):
    """Calls `check` until it returns something truthy; returns that, or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {check.__doc__ or check}")
        time.sleep(interval)


def ends_in_dlq(cloud: Cloud, dlq_name: str, body: str) -> None:
    """Waits for the message `body` to reach the queue `dlq_name`: after maxReceiveCount (5)
    receives, REDELIVERY_SECONDS apart."""
    sqs = cloud.client("sqs")
    dlq = sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]

    def in_dlq():
        """the message is in the DLQ"""
        messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        return any(m["Body"] == body for m in messages)

    eventually(in_dlq, timeout=5 * REDELIVERY_SECONDS + 20, interval=0.5)
