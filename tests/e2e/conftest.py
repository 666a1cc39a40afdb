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


def new_user(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def eventually(check, timeout: float = 15, interval: float = 0.1):
    """Calls `check` until it returns something truthy; returns that, or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {check.__doc__ or check}")
        time.sleep(interval)
