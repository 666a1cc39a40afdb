"""Who may call what, over HTTP: every route with no token, an expired token, a token signed by
another key, another user's token, the owner's token and an administrator's token.

401 comes from API Gateway's Cognito authorizer (the function never runs); 403 from the
function, for a signed-in caller who is neither the owner nor an administrator. The catalogue
reads are public: a token, even a bad one, changes nothing there, as the methods have no
authorizer.
"""

import pytest

from tests import tokens
from tests.e2e.conftest import ApiSession, new_user

CALLERS = ("no token", "expired", "other key", "other user", "owner", "admin")
LINE = {"productId": "{phone}", "quantity": 1}  # the session's phone, in the catalogue replica
DETAILS = {
    "firstName": "A",
    "lastName": "B",
    "email": "a@example.com",
    "address": "C",
    "paymentMethod": "card",
}
PUBLIC = (200,) * 6
ADMIN_ONLY = (401, 401, 401, 403, 403)  # the owner of an admin-only route is a mere customer
OWNER_OR_ADMIN = (401, 401, 401, 403)

# method, path, body ({user}, {product} and {phone} filled in), expected status per caller in CALLERS.
ROUTES = [
    ("GET", "/product", None, PUBLIC),
    ("GET", "/product/{product}", None, PUBLIC),
    ("POST", "/product", {"name": "p", "category": "access", "price": 1}, (*ADMIN_ONLY, 201)),
    ("PUT", "/product/{product}", {"price": 2}, (*ADMIN_ONLY, 200)),
    ("DELETE", "/product/{product}", None, (*ADMIN_ONLY, 204)),
    ("GET", "/basket", None, (*ADMIN_ONLY, 200)),
    ("GET", "/basket/{user}", None, (*OWNER_OR_ADMIN, 200, 200)),
    ("POST", "/basket", {"userName": "{user}", "items": [LINE]}, (*OWNER_OR_ADMIN, 200, 200)),
    ("DELETE", "/basket/{user}", None, (*OWNER_OR_ADMIN, 204, 204)),
    ("POST", "/basket/checkout", {"userName": "{user}", **DETAILS}, (*OWNER_OR_ADMIN, 202, 202)),
    ("GET", "/order", None, (*ADMIN_ONLY, 200)),
    ("GET", "/order/{user}", None, (*OWNER_OR_ADMIN, 200, 200)),
    # Allowed, and no such order yet: 404 (the owner has a basket, not an order).
    ("GET", "/order/{user}/0b6f7a3e-2a55-4c8e-9a4f-5d1f0c9b7e21", None, (*OWNER_OR_ADMIN, 404, 404)),
]
CASES = [
    pytest.param(method, path, body, caller, status, id=f"{method} {path} {caller}")
    for method, path, body, statuses in ROUTES
    for caller, status in zip(CALLERS, statuses, strict=True)
]


def filled(value, **names):
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: filled(v, **names) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, **names) for v in value]
    return value


@pytest.fixture
def owner(sign_in, phone):
    """A customer with a basket, signed in."""
    user = new_user("owner")
    session = sign_in(user)
    line = filled(LINE, phone=phone["id"])
    assert session.post("/basket", json={"userName": user, "items": [line]}).status_code == 200
    return user, session


@pytest.fixture
def product(admin):
    response = admin.post("/product", json={"name": "p", "category": "access", "price": 1})
    assert response.status_code == 201
    return response.json()["id"]


def session_of(caller, owner, sign_in, admin, cloud) -> ApiSession:
    _, owners_session = owner
    token = owners_session.headers["Authorization"]
    return {
        "no token": lambda: ApiSession(cloud.api),
        "expired": lambda: ApiSession(cloud.api, tokens.expired(token)),
        "other key": lambda: ApiSession(cloud.api, tokens.signed_by_another_key(token)),
        "other user": lambda: sign_in("someone-else"),
        "owner": lambda: owners_session,
        "admin": lambda: admin,
    }[caller]()


@pytest.mark.parametrize(("method", "path", "body", "caller", "status"), CASES)
def test_route_access(cloud, sign_in, admin, owner, product, phone, method, path, body, caller, status):
    session = session_of(caller, owner, sign_in, admin, cloud)
    names = {"user": owner[0], "product": product, "phone": phone["id"]}
    response = session.request(method, filled(path, **names), json=filled(body, **names))
    assert response.status_code == status, response.text
    if status == 401:
        assert response.json() == {"message": "Unauthorized"}
        assert response.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    elif status == 403:
        assert response.json()["message"].startswith("Forbidden")


def test_a_refused_call_changes_nothing(sign_in, admin, owner, phone):
    user, session = owner
    for intruder in (ApiSession(session.base_url), sign_in("someone-else")):
        intruder.delete(f"/basket/{user}")
        intruder.post("/basket", json={"userName": user, "items": []})
    line = {"productId": phone["id"], "productName": "Phone", "price": 10, "quantity": 1, "color": None}
    assert session.get(f"/basket/{user}").json()["items"] == [line]


def test_bearer_before_the_token_is_accepted(cloud, owner):
    user, session = owner
    bearer = ApiSession(cloud.api, f"Bearer {session.headers['Authorization']}")
    assert bearer.get(f"/basket/{user}").status_code == 200


def test_an_unknown_route_is_403_missing_authentication_token_even_signed_in(admin):
    response = admin.get("/basket/a/b")
    assert response.status_code == 403 and response.json() == {"message": "Missing Authentication Token"}
