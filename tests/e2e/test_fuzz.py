"""A bounded schemathesis run on the session's local cloud: every operation of every service,
positive and negative cases, the checks of `make fuzz` (which runs many more cases)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from scripts import fuzz
from scripts.localcloud import system

MAX_EXAMPLES = 40  # per operation and phase: well under a minute in all
EXCLUDED = [getattr(openapi_checks, name) for name in fuzz.EXCLUDED_CHECKS]


def load(service: str) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_path(system.ROOT / "services" / service / "openapi.yaml")
    schema.config.generation.update(
        modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,  # the same cases on every run: a failure here is reproducible
    )
    return schema


@pytest.fixture(scope="module", autouse=True)
def signed_in(cloud):
    """scripts.fuzz.AdminToken signs the generated cases in with this token."""
    os.environ[fuzz.TOKEN_VARIABLE] = fuzz.admin_token(cloud.aws)
    yield
    del os.environ[fuzz.TOKEN_VARIABLE]


def check(case, cloud) -> None:
    case.call_and_validate(
        base_url=cloud.api,
        excluded_checks=EXCLUDED,  # every other check runs, no_internals too (registered by scripts.fuzz)
    )


FAST = settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)


@load("product").parametrize()
@FAST
def test_product_api(case, cloud):
    check(case, cloud)


@load("basket").parametrize()
@FAST
def test_basket_api(case, cloud):
    check(case, cloud)


@load("order").parametrize()
@FAST
def test_order_api(case, cloud):
    check(case, cloud)
