"""Signing a user of a Cognito user pool in as a client does (USER_PASSWORD_AUTH with the app
client), with the administrator APIs making it possible: the user is made if it does not exist
(no invitation sent), given a fresh random password, and put in or out of the admin group as
asked. `make token` (the local cloud) and `make smoke` (any stage) sign in this way."""

import secrets
from typing import Any


def sign_in(cognito: Any, pool_id: str, client_id: str, admin_group: str, user_name: str, admin: bool) -> str:
    """The ID token of `user_name`, in the admin group if `admin`, out of it otherwise."""
    try:
        cognito.admin_create_user(UserPoolId=pool_id, Username=user_name, MessageAction="SUPPRESS")
        made = True
    except cognito.exceptions.UsernameExistsException:
        made = False
    # A new password at each sign-in: nobody has to remember these.
    password = secrets.token_urlsafe(24) + "aA1!"
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=user_name, Password=password, Permanent=True)
    if admin:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user_name, GroupName=admin_group)
    elif not made:  # a new user is in no group
        cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=user_name, GroupName=admin_group)
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user_name, "PASSWORD": password},
    )
    return result["AuthenticationResult"]["IdToken"]
