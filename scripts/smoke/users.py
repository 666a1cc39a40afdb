"""Short-lived users of a stage's user pool, signed in as a client signs in (USER_PASSWORD_AUTH
with the app client): made by the administrator APIs with a random password, removed at the end."""

import secrets
import uuid
from typing import Any

from scripts.smoke.stage import Stage


class Users:
    def __init__(self, cognito: Any, stage: Stage):
        self._cognito = cognito
        self._stage = stage
        self.made: list[str] = []

    def sign_in(self, prefix: str, admin: bool = False) -> tuple[str, str]:
        """A new user (in the admin group if `admin`) and its ID token."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        password = secrets.token_urlsafe(24) + "aA1!"
        pool = self._stage.user_pool_id
        self._cognito.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
        self.made.append(name)
        self._cognito.admin_set_user_password(
            UserPoolId=pool, Username=name, Password=password, Permanent=True
        )
        if admin:
            self._cognito.admin_add_user_to_group(
                UserPoolId=pool, Username=name, GroupName=self._stage.admin_group
            )
        result = self._cognito.initiate_auth(
            ClientId=self._stage.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": password},
        )
        return name, result["AuthenticationResult"]["IdToken"]

    def remove_all(self) -> None:
        for name in self.made:
            self._cognito.admin_delete_user(UserPoolId=self._stage.user_pool_id, Username=name)
        self.made.clear()
