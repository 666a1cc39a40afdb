"""Short-lived users of a stage's user pool (scripts/sign_in.py), each with a new name, removed at
the end of the run."""

import uuid
from typing import Any

from scripts.sign_in import sign_in
from scripts.smoke.stage import Stage


class Users:
    def __init__(self, cognito: Any, stage: Stage):
        self._cognito = cognito
        self._stage = stage
        self.made: list[str] = []

    def sign_in(self, prefix: str, admin: bool = False) -> tuple[str, str]:
        """A new user (in the admin group if `admin`) and its ID token."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.made.append(name)
        stage = self._stage
        token = sign_in(self._cognito, stage.user_pool_id, stage.client_id, stage.admin_group, name, admin)
        return name, token

    def remove_all(self) -> None:
        for name in self.made:
            self._cognito.admin_delete_user(UserPoolId=self._stage.user_pool_id, Username=name)
        self.made.clear()
