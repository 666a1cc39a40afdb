"""Tokens the local user pool would never issue, to prove that the authorizer refuses them.

moto's Cognito signs every ID token with one RSA key that ships in its package
(moto/cognitoidp/resources/jwks-private.json). Signing changed claims with that very key
makes a token that only its claims can give away (an expired one); signing with a key made
here makes a token whose signature cannot be verified.
"""

import time
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto.utilities.utils import load_resource


@cache
def moto_key() -> Any:
    return RSAAlgorithm.from_jwk(load_resource("cognitoidp/resources/jwks-private.json"))


@cache
def foreign_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def resigned(token: str, key: Any = None, kid: str | None = None, **changes: Any) -> str:
    """`token` with `changes` to its claims, signed by `key` (moto's by default), under the
    same key id unless `kid` is given."""
    headers = {"kid": kid or jwt.get_unverified_header(token)["kid"]}
    return jwt.encode({**claims_of(token), **changes}, key or moto_key(), algorithm="RS256", headers=headers)


def expired(token: str) -> str:
    """The same token, properly signed, that expired a minute ago."""
    now = int(time.time())
    return resigned(token, iat=now - 3660, auth_time=now - 3660, exp=now - 60)


def signed_by_another_key(token: str) -> str:
    """The same claims, signed by a key the user pool does not have."""
    return resigned(token, foreign_key())
