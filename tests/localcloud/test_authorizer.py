"""The local Cognito user pool authorizer and `make token`, against moto's user pool and its JWKS."""

import json
import time

import jwt
import pytest

from scripts import token as token_cli
from scripts.localcloud import system
from scripts.localcloud.aws.resources import provision
from scripts.localcloud.aws.server import EmbeddedAws
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer, api_gateway_claims
from scripts.localcloud.gateway.routes import load_resources
from scripts.token import id_token
from tests import tokens


@pytest.fixture(scope="module")
def aws():
    embedded = EmbeddedAws()
    embedded.start()
    pools = provision(embedded.endpoint, (system.IDENTITY,))
    yield embedded, pools[system.USER_POOL]
    embedded.stop()


@pytest.fixture(scope="module")
def authorizer(aws):
    embedded, pool = aws
    return CognitoAuthorizer(
        system.REGION, pool.id, [pool.client_id], f"{embedded.endpoint}/{pool.id}/.well-known/jwks.json"
    )


@pytest.fixture(scope="module")
def token(aws):
    return id_token(aws[0].endpoint, "alice")


def test_a_valid_id_token_gives_the_claims_as_strings(authorizer, token):
    claims = authorizer.claims(token)
    assert claims["cognito:username"] == "alice" and claims["token_use"] == "id"
    assert all(isinstance(value, str) for value in claims.values())
    assert claims["exp"].endswith(time.strftime(" UTC %Y", time.gmtime(int(claims["auth_time"]) + 3600)))


def test_bearer_before_the_token_is_accepted_as_api_gateway_does(authorizer, token):
    assert authorizer.claims(f"Bearer {token}")["cognito:username"] == "alice"


def test_an_admins_groups_are_comma_separated(aws, authorizer):
    token = id_token(aws[0].endpoint, "root", admin=True)
    assert authorizer.claims(token)["cognito:groups"] == system.ADMIN_GROUP
    assert "cognito:groups" not in authorizer.claims(id_token(aws[0].endpoint, "root"))


@pytest.mark.parametrize(
    "header",
    [None, "", "   ", "Bearer", "Bearer ", "not-a-jwt", "a.b.c", "Basic dXNlcjpwYXNz"],
)
def test_missing_and_malformed_tokens_are_refused(authorizer, header):
    assert authorizer.claims(header) is None


def test_an_expired_token_is_refused(authorizer, token):
    assert authorizer.claims(tokens.expired(token)) is None
    assert authorizer.claims(tokens.resigned(token)) is not None  # the forging itself is sound


def test_a_token_signed_by_another_key_is_refused(authorizer, token):
    assert authorizer.claims(tokens.signed_by_another_key(token)) is None
    assert authorizer.claims(tokens.resigned(token, tokens.foreign_key(), kid="other")) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_another"},
        {"aud": "another-client"},
        {"token_use": "access"},
    ],
)
def test_tokens_of_another_pool_client_or_use_are_refused(authorizer, token, changes):
    assert authorizer.claims(tokens.resigned(token, **changes)) is None


def test_a_token_without_expiry_is_refused(authorizer, token):
    claims = tokens.claims_of(token)
    del claims["exp"]
    unexpiring = jwt.encode(claims, tokens.moto_key(), algorithm="RS256", headers={"kid": "dummy"})
    assert authorizer.claims(unexpiring) is None


def test_claims_take_api_gateways_formats():
    claims = api_gateway_claims(
        {"exp": 0, "auth_time": 5, "email_verified": True, "cognito:groups": ["a", "b"], "sub": "x"}
    )
    assert claims == {
        "exp": "Thu Jan 01 00:00:00 UTC 1970",
        "auth_time": "5",
        "email_verified": "true",
        "cognito:groups": "a,b",
        "sub": "x",
    }


def test_the_public_operations_are_exactly_the_catalogue_reads(authorizer):
    apis = tuple(api for service in system.SERVICES for api in service.apis)
    resources = load_resources(apis, {system.USER_POOL: authorizer})
    public = {(m, r.path) for r in resources for m in r.methods - set(r.guarded)}
    assert public == {("GET", "/product"), ("GET", "/product/{id}")}
    assert all(r.authorizer is authorizer for r in resources)
    assert {header for r in resources for header in r.guarded.values()} == {"Authorization"}


def test_secured_routes_without_an_authorizer_do_not_load():
    apis = tuple(api for service in system.SERVICES for api in service.apis)
    with pytest.raises(ValueError, match="no user pool authorizer"):
        load_resources(apis)


# `make token`: python -m scripts.token USER [--admin] against the running cloud's state directory.


def test_make_token_prints_only_a_token_and_sets_the_admin_group(aws, authorizer, tmp_path, capsys):
    (tmp_path / "endpoints.json").write_text(json.dumps({"aws": aws[0].endpoint}))
    assert token_cli.main(["carol", "--admin", "--state-dir", str(tmp_path)]) == 0
    admin_token = capsys.readouterr().out.strip()
    assert authorizer.claims(admin_token)["cognito:groups"] == system.ADMIN_GROUP
    assert token_cli.main(["carol", "--state-dir", str(tmp_path)]) == 0
    assert "cognito:groups" not in authorizer.claims(capsys.readouterr().out.strip())


def test_make_token_says_why_it_has_no_token(tmp_path, capsys):
    assert token_cli.main(["carol", "--state-dir", str(tmp_path)]) == 1
    assert "make run" in capsys.readouterr().err
    assert token_cli.main(["carol smith", "--state-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().out == ""
