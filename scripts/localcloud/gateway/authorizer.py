"""API Gateway's Cognito user pool authorizer (COGNITO_USER_POOLS) for the local REST APIs.

It checks what the real one checks before the function runs: an ID token from the user pool
(issuer), signed with one of the pool's keys (RS256, JWKS fetched once from the embedded AWS
and again only for an unknown key id), not expired, issued to one of the pool's app clients
(`aud`), and `token_use` = id. Any failure, a missing header included, is API Gateway's 401
{"message":"Unauthorized"}. The claims reach the function under
requestContext.authorizer.claims, every value a string as API Gateway writes them: lists
comma-separated (`cognito:groups` = "admin,staff"), exp and iat as dates.

The token is the header's value as is, as AWS documents it; API Gateway also takes it after
"Bearer " (undocumented, observed), and so does this one. Group checks are not the
authorizer's business: a function refuses a signed-in caller with 403.
"""

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt

ALGORITHMS = ["RS256"]  # what Cognito signs with
_DATE_CLAIMS = ("exp", "iat")  # API Gateway shows these as dates, auth_time as a number


def issuer(region: str, pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(_text(v) for v in value)
    return str(value)


def api_gateway_claims(payload: Mapping[str, Any]) -> dict[str, str]:
    """A verified token's claims as API Gateway hands them to a function: all strings."""
    claims = {}
    for name, value in payload.items():
        if name in _DATE_CLAIMS and isinstance(value, int | float):
            moment = datetime.fromtimestamp(value, UTC)
            claims[name] = moment.strftime("%a %b %d %H:%M:%S UTC %Y")
        else:
            claims[name] = _text(value)
    return claims


@dataclass
class CognitoAuthorizer:
    """Verifies ID tokens of one user pool, as a COGNITO_USER_POOLS authorizer naming it."""

    region: str
    pool_id: str
    client_ids: Collection[str]
    jwks_url: str
    _keys: jwt.PyJWKClient = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        # Caches the key set; asks again only for a key id it does not know.
        self._keys = jwt.PyJWKClient(self.jwks_url, cache_jwk_set=True, lifespan=3600, timeout=5)

    def claims(self, header: str | None) -> dict[str, str] | None:
        """The claims of the token in an Authorization header value, or None: 401."""
        token = (header or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            return None
        try:
            with self._lock:
                key = self._keys.get_signing_key_from_jwt(token)
            payload = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=issuer(self.region, self.pool_id),
                options={"require": ["exp", "iat", "iss", "aud", "token_use"], "verify_aud": False},
            )
        except (jwt.PyJWTError, ValueError):
            return None
        if payload.get("token_use") != "id" or payload.get("aud") not in self.client_ids:
            return None  # an access token, or a token of an app client of another pool
        return api_gateway_claims(payload)
