"""Who calls, and whether they may act for a user: the rule every API applies, in plain Python.

API Gateway's Cognito user pool authorizer verifies the ID token and hands its claims to the
function as strings under requestContext.authorizer.claims: `cognito:username` is the caller,
`cognito:groups` their groups, comma-separated ("admin,staff"). A function never trusts a user
name from the path or the body alone: it acts for the caller, or for anyone when the caller
is in the admin group. No claims means no verified identity (the method has no authorizer):
401, never a 500.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shop_common.errors import ForbiddenError, UnauthorizedError

# Cognito group names: 1-128 characters. The admin group's name comes from the environment
# (ADMIN_GROUP), which Terraform reads from the identity root's SSM parameter.
GroupName = Annotated[str, Field(min_length=1, max_length=128)]


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_name: str
    groups: frozenset[str] = frozenset()

    def is_in(self, group: str) -> bool:
        return group in self.groups


def _groups(value: Any) -> frozenset[str]:
    """`cognito:groups` as API Gateway passes it ("a,b"); a JSON list or "[a b]" are read too."""
    if isinstance(value, list | tuple):
        names = [str(v) for v in value]
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1].replace(" ", ",")
        names = text.split(",")
    else:
        names = []
    return frozenset(name.strip() for name in names if name.strip())


def caller_of(event: Mapping[str, Any]) -> Caller:
    """The caller named by the verified claims of a REST proxy event; UnauthorizedError without."""
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    claims = authorizer.get("claims") if isinstance(authorizer, Mapping) else None
    user_name = claims.get("cognito:username") if isinstance(claims, Mapping) else None
    if not isinstance(user_name, str) or not user_name:
        raise UnauthorizedError("Unauthorized: the request carries no verified identity")
    return Caller(user_name=user_name, groups=_groups(claims.get("cognito:groups")))


class AccessRules:
    """The access rules of one API, with the environment's admin group."""

    def __init__(self, admin_group: str):
        self.admin_group = admin_group

    def require_admin(self, caller: Caller) -> None:
        if not caller.is_in(self.admin_group):
            raise ForbiddenError("Forbidden: only an administrator may do this")

    def require_owner_or_admin(self, caller: Caller, user_name: str | None = None) -> str:
        """The user the caller acts for: `user_name` (themselves when None), if they are that
        user or an administrator; ForbiddenError otherwise."""
        if user_name is None:
            return caller.user_name
        if user_name != caller.user_name and not caller.is_in(self.admin_group):
            raise ForbiddenError("Forbidden: you may act only for yourself")
        return user_name
