"""The caller and the owner-or-admin rule, on the claims API Gateway's Cognito authorizer passes."""

import json

import pytest
from aws_lambda_powertools import Logger

from shop_common.errors import ForbiddenError, UnauthorizedError
from shop_common.http import create_router, json_response
from shop_common.identity import AccessRules, Caller, caller_of
from tests.helpers import api_event, claims

RULES = AccessRules("admin")


def test_the_caller_is_the_token_user_with_their_groups():
    event = api_event("GET", "/x", caller=claims("alice", "staff", "admin"))
    assert caller_of(event) == Caller(user_name="alice", groups=frozenset({"staff", "admin"}))


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("admin", {"admin"}),
        ("staff,admin", {"staff", "admin"}),
        ("[staff admin]", {"staff", "admin"}),  # as HTTP APIs write it
        (["staff", "admin"], {"staff", "admin"}),
        ("", set()),
        (None, set()),
    ],
)
def test_groups_are_read_as_api_gateway_writes_them(groups, expected):
    event = {
        "requestContext": {"authorizer": {"claims": {"cognito:username": "a", "cognito:groups": groups}}}
    }
    assert caller_of(event).groups == expected


@pytest.mark.parametrize(
    "context",
    [
        {},
        {"authorizer": None},
        {"authorizer": {}},
        {"authorizer": {"claims": None}},
        {"authorizer": {"claims": {"sub": "x"}}},
        {"authorizer": {"claims": {"cognito:username": ""}}},
        {"authorizer": {"principalId": "x"}},
    ],
)
def test_no_verified_user_name_is_unauthorized(context):
    with pytest.raises(UnauthorizedError):
        caller_of({"requestContext": context})


def test_owners_act_for_themselves_only():
    alice = Caller(user_name="alice")
    assert RULES.require_owner_or_admin(alice, "alice") == "alice"
    assert RULES.require_owner_or_admin(alice, None) == "alice"
    with pytest.raises(ForbiddenError):
        RULES.require_owner_or_admin(alice, "bob")
    with pytest.raises(ForbiddenError):
        # Names are compared exactly, as the tables key on them (the user pool is case-sensitive).
        RULES.require_owner_or_admin(alice, "Alice")


def test_administrators_act_for_anyone():
    admin = Caller(user_name="root", groups=frozenset({"admin"}))
    assert RULES.require_owner_or_admin(admin, "bob") == "bob"
    assert RULES.require_owner_or_admin(admin, None) == "root"
    RULES.require_admin(admin)


def test_only_the_configured_group_is_admin():
    with pytest.raises(ForbiddenError):
        RULES.require_admin(Caller(user_name="x", groups=frozenset({"admins", "Admin", "staff"})))


@pytest.mark.parametrize(("claims_", "status"), [(None, 401), (claims("bob"), 403), (claims("alice"), 200)])
def test_the_router_answers_401_and_403_as_json(claims_, status):
    app = create_router(Logger(service="test"))

    @app.get("/basket/alice")
    def basket():
        RULES.require_owner_or_admin(caller_of(app.request.event), "alice")
        return json_response(200, {"ok": True})

    response = app.resolve(api_event("GET", "/basket/alice", caller=claims_))
    assert response["statusCode"] == status
    assert set(json.loads(response["body"])) == ({"ok"} if status == 200 else {"message"})
