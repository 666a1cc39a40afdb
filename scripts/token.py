"""`make token USER=alice [ADMIN=1]`: an ID token of the running local cloud's user pool.

    python -m scripts.token USER [--admin] [--port PORT | --state-dir DIR]

It signs the user in as a client would (scripts/sign_in.py: USER_PASSWORD_AUTH with the app
client), after creating the user if needed and giving them a fresh password. --admin puts the
user in the admin group, and its absence takes them out of it, so the token says what was asked. Only the
token is printed, so that `TOKEN=$(make -s token USER=alice)` works; send it as the
Authorization header. The pool and its client are found through the SSM parameters that the
local cloud (like the identity root in AWS) publishes; the cloud itself through the
endpoints.json of its state directory.
"""

import argparse
import sys

from scripts.localcloud import instance, system
from scripts.localcloud.aws.clients import client
from scripts.sign_in import sign_in

if str(system.ROOT / "services" / "common") not in sys.path:  # the services' own rule for names
    sys.path.append(str(system.ROOT / "services" / "common"))

from shop_common.text import user_name_problem


def identity_parameters(endpoint: str, path: str = system.IDENTITY_PARAMETERS) -> dict[str, str]:
    ssm = client("ssm", endpoint)
    found = ssm.get_parameters_by_path(Path=path)["Parameters"]
    return {p["Name"].removeprefix(f"{path}/"): p["Value"] for p in found}


def id_token(endpoint: str, user_name: str, admin: bool = False) -> str:
    """Signs `user_name` in on the local cloud whose embedded AWS is `endpoint`."""
    identity = identity_parameters(endpoint)
    return sign_in(
        client("cognito-idp", endpoint),
        identity["user-pool-id"],
        identity["user-pool-client-id"],
        identity["admin-group"],
        user_name,
        admin,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("user", help="user name (created if needed)")
    parser.add_argument("--admin", action="store_true", help="in the admin group (else: not in it)")
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    # What the APIs accept as a userName (basket and order): another name could own nothing.
    if problem := user_name_problem(args.user):
        print(f"No token for {args.user!r}: userName {problem}", file=sys.stderr)
        return 2
    state = instance.chosen_state_dir(args)
    if (endpoints := instance.endpoints(state)) is None:
        print(f"{instance.not_found(state)} first", file=sys.stderr)
        return 1
    try:
        token = id_token(endpoints["aws"], args.user, args.admin)
    except Exception as error:  # a stopped cloud, a refused user name: say it in one line
        print(f"No token for {args.user!r}: {error} (is `make run` running?)", file=sys.stderr)
        return 1
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
