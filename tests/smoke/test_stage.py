"""The smoke suite's parts on fakes and moto: a stage from its parameters, a failing step that
still removes what the run made."""

import boto3
import pytest
import requests
from moto import mock_aws

from scripts.smoke.flow import Smoke, SmokeFailed, run
from scripts.smoke.stage import Stage, StageNotFound, from_parameters

PARAMETERS = {
    "/shop/dev/product/api-url": "https://p.example/dev",
    "/shop/dev/basket/api-url": "https://b.example/dev/",
    "/shop/dev/order/api-url": "https://o.example/dev",
    "/shop/dev/identity/user-pool-id": "us-east-1_Example01",
    "/shop/dev/identity/user-pool-client-id": "client",
    "/shop/dev/identity/admin-group": "admin",
    "/shop/prod/product/api-url": "https://p.example/prod",
}
STAGE = Stage(
    "dev", {"product": "https://p", "basket": "https://b", "order": "https://o"}, "pool", "client", "admin"
)


@pytest.fixture
def ssm():
    with mock_aws():
        client = boto3.client("ssm", region_name="us-east-1")
        for name, value in PARAMETERS.items():
            client.put_parameter(Name=name, Value=value, Type="String")
        yield client


def test_a_stage_is_read_from_its_own_environments_parameters(ssm):
    stage = from_parameters(ssm, "shop", "dev")
    assert stage.apis == {
        "product": "https://p.example/dev",
        "basket": "https://b.example/dev",
        "order": "https://o.example/dev",
    }
    assert (stage.user_pool_id, stage.client_id, stage.admin_group) == (
        "us-east-1_Example01",
        "client",
        "admin",
    )


def test_a_stage_without_its_parameters_is_named_with_what_is_missing(ssm):
    with pytest.raises(StageNotFound, match="/shop/prod/basket/api-url") as missing:
        from_parameters(ssm, "shop", "prod")
    assert "/shop/prod/identity/user-pool-id" in str(missing.value)


class Answer(requests.Response):
    def __init__(self, status: int, body: bytes = b"{}"):
        super().__init__()
        self.status_code, self._content = status, body


class FakeUsers:
    def __init__(self):
        self.made, self.removed = [], []

    def sign_in(self, prefix, admin=False):
        self.made.append(prefix)
        return f"{prefix}-1", f"token-{prefix}"

    def remove_all(self):
        self.removed = list(self.made)


class Http:
    """Answers by (method, path); records the calls."""

    def __init__(self, answers):
        self.answers, self.calls = answers, []

    def request(self, method, url, **options):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        self.calls.append((method, path))
        return self.answers.get((method, path), Answer(500))


def test_a_failing_step_is_named_and_what_the_run_made_is_removed():
    http = Http(
        {
            ("GET", "/product"): Answer(200, b'{"items": []}'),
            ("GET", "/order"): Answer(401, b'{"message": "Unauthorized"}'),
            ("POST", "/product"): Answer(201, b'{"id": "p-1"}'),
            ("POST", "/basket"): Answer(503, b'{"message": "down"}'),
            ("DELETE", "/product/p-1"): Answer(204, b""),
        }
    )
    users = FakeUsers()
    with pytest.raises(SmokeFailed, match=r"POST /basket: expected 200, got 503"):
        run(Smoke(STAGE, users, http=http, log=lambda line: None))
    assert ("DELETE", "/product/p-1") in http.calls
    assert users.removed == ["smoke", "smoke-admin"]


def test_a_product_that_never_reaches_the_basket_fails_within_its_deadline(monkeypatch):
    http = Http(
        {
            ("GET", "/product"): Answer(200, b'{"items": []}'),
            ("GET", "/order"): Answer(401, b"{}"),
            ("POST", "/product"): Answer(201, b'{"id": "p-1"}'),
            ("POST", "/basket"): Answer(400, b'{"message": "not in the catalogue"}'),
        }
    )
    clock = iter(range(0, 100_000, 10))
    monkeypatch.setattr("scripts.smoke.flow.time.monotonic", lambda: next(clock))
    with pytest.raises(SmokeFailed, match="the product reaching the basket: not within 60 s"):
        run(Smoke(STAGE, FakeUsers(), http=http, log=lambda line: None, sleep=lambda s: None))
