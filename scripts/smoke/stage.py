"""Where a stage is: the three APIs' URLs and the user pool, read from the SSM parameters that
its roots publish (/<prefix>/<env>/<service>/api-url, /<prefix>/<env>/identity/...), so that
nothing is typed in. The local cloud publishes the same parameters in its embedded AWS."""

from dataclasses import dataclass
from typing import Any

from scripts.deploy.components import SERVICES


class StageNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str  # dev, prod, local
    apis: dict[str, str]  # service -> base URL, without a trailing slash
    user_pool_id: str
    client_id: str
    admin_group: str


def from_parameters(ssm: Any, prefix: str, environment: str) -> Stage:
    path = f"/{prefix}/{environment}"
    found: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True):
        found |= {p["Name"].removeprefix(f"{path}/"): p["Value"] for p in page["Parameters"]}
    wanted = [f"{s}/api-url" for s in SERVICES] + [
        "identity/user-pool-id",
        "identity/user-pool-client-id",
        "identity/admin-group",
    ]
    missing = [name for name in wanted if name not in found]
    if missing:
        raise StageNotFound(
            f"{environment} has no {', '.join(f'{path}/{m}' for m in missing)}: are its roots applied, "
            "and does this role read its parameters?"
        )
    return Stage(
        name=environment,
        apis={s: found[f"{s}/api-url"].rstrip("/") for s in SERVICES},
        user_pool_id=found["identity/user-pool-id"],
        client_id=found["identity/user-pool-client-id"],
        admin_group=found["identity/admin-group"],
    )
