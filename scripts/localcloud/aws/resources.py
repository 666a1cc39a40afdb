"""The system's resources created in the embedded AWS, as the Terraform modules declare them:
tables (and their streams), buses, rules and their targets, queues and their DLQs, SSM
parameters, user pools."""

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scripts.localcloud import system
from scripts.localcloud.aws.clients import client


@dataclass(frozen=True)
class CreatedUserPool:
    """The ids that the embedded AWS gave a user pool and its app client."""

    id: str
    arn: str
    client_id: str


def provision(
    endpoint: str,
    services: tuple[system.Service, ...],
    redelivery_seconds: int | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, CreatedUserPool]:
    """Makes the embedded AWS hold every resource of `services`, as a `terraform apply` would:
    what is missing is created, what exists (restored from a saved state) is kept with its
    data, and queues get their declared settings. A table whose keys or indexes differ from the
    declared ones cannot be changed in place: `warn` says so. Returns the user pools by name.
    `redelivery_seconds` shortens the visibility timeout of queues, so that tests see failed
    records come back within seconds."""
    dynamodb, events, sqs, ssm = (client(s, endpoint) for s in ("dynamodb", "events", "sqs", "ssm"))
    pools = {}
    for service in services:
        for pool in service.user_pools:
            pools[pool.name] = created = ensure_user_pool(client("cognito-idp", endpoint), pool)
            for parameter, value in user_pool_parameters(pool, created).items():
                ssm.put_parameter(Name=parameter, Value=value, Type="String", Overwrite=True)
        for table in service.tables:
            differences = ensure_table(dynamodb, table)
            if differences and warn:
                warn(
                    f"table {table.name} was saved with {differences}, which system.py no longer "
                    "declares: `make reset` starts over"
                )
        for bus in service.buses:
            with contextlib.suppress(events.exceptions.ResourceAlreadyExistsException):
                events.create_event_bus(Name=bus)
        for parameter, value in service.parameters.items():
            ssm.put_parameter(Name=parameter, Value=value, Type="String", Overwrite=True)
        # Dead-letter queues first: a redrive policy names an existing queue.
        for queue in sorted(service.queues, key=lambda q: q.dead_letter_queue is not None):
            attributes = queue_attributes(queue, redelivery_seconds)
            try:
                url = sqs.get_queue_url(QueueName=queue.name)["QueueUrl"]
            except sqs.exceptions.QueueDoesNotExist:
                sqs.create_queue(QueueName=queue.name, Attributes=attributes)
            else:
                sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
        for rule in service.rules:
            events.put_rule(Name=rule.name, EventBusName=rule.bus, EventPattern=json.dumps(rule.pattern))
            events.put_targets(
                Rule=rule.name,
                EventBusName=rule.bus,
                Targets=[
                    {
                        "Id": "queue",
                        "Arn": queue_arn(rule.queue),
                        "DeadLetterConfig": {"Arn": queue_arn(rule.delivery_dlq)},
                        "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
                    }
                ],
            )
    return pools


def ensure_table(dynamodb: Any, table: system.Table) -> str | None:
    """Creates the table if it is missing; else None, or what differs in its keys and indexes.

    A table saved without the stream it now declares (a snapshot from before the stream) gets
    it, as UpdateTable would: its stream starts with the next write, the items already there
    are not in it. A stream of another view type cannot be changed in place (DynamoDB
    disables a stream before it enables another): that is a difference."""
    request = table_request(table)
    try:
        existing = dynamodb.describe_table(TableName=table.name)["Table"]
    except dynamodb.exceptions.ResourceNotFoundException:
        dynamodb.create_table(**request)
        return None
    differences = []
    stream = existing.get("StreamSpecification") or {}
    if table.stream and not stream.get("StreamEnabled"):
        dynamodb.update_table(TableName=table.name, StreamSpecification=request["StreamSpecification"])
    elif table.stream and stream.get("StreamViewType") != table.stream:
        differences.append(f"the stream {stream.get('StreamViewType')}")
    if existing["KeySchema"] != request["KeySchema"]:
        differences.append(f"the key {existing['KeySchema']}")
    saved = {i["IndexName"]: i["KeySchema"] for i in existing.get("GlobalSecondaryIndexes", [])}
    declared = {i["IndexName"]: i["KeySchema"] for i in request.get("GlobalSecondaryIndexes", [])}
    if saved != declared:
        differences.append(f"the indexes {sorted(saved)}")
    return " and ".join(differences) or None


def ensure_user_pool(cognito: Any, pool: system.UserPool) -> CreatedUserPool:
    """The user pool named `pool.name` (with its app client and admin group), or a new one."""
    for existing in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        if existing["Name"] != pool.name:
            continue
        described = cognito.describe_user_pool(UserPoolId=existing["Id"])["UserPool"]
        clients = cognito.list_user_pool_clients(UserPoolId=existing["Id"], MaxResults=60)["UserPoolClients"]
        app_client = next((c for c in clients if c["ClientName"] == pool.client), None)
        if app_client is None:
            break  # not one this module made: make a whole new one
        with contextlib.suppress(cognito.exceptions.GroupExistsException):
            cognito.create_group(
                GroupName=pool.admin_group,
                UserPoolId=existing["Id"],
                Description="Shop administrators",
                Precedence=0,
            )
        return CreatedUserPool(existing["Id"], described["Arn"], app_client["ClientId"])
    return create_user_pool(cognito, pool)


def create_user_pool(cognito: Any, pool: system.UserPool) -> CreatedUserPool:
    """The user pool, its app client and its admin group, as the identity module declares them."""
    created = cognito.create_user_pool(
        PoolName=pool.name,
        Policies={
            "PasswordPolicy": {
                "MinimumLength": pool.min_password_length,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
                "TemporaryPasswordValidityDays": 7,
            }
        },
        DeletionProtection="INACTIVE",
        MfaConfiguration="OPTIONAL",
        UsernameConfiguration={"CaseSensitive": True},
    )["UserPool"]
    app_client = cognito.create_user_pool_client(
        UserPoolId=created["Id"],
        ClientName=pool.client,
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        IdTokenValidity=60,
        AccessTokenValidity=60,
        RefreshTokenValidity=30,
        TokenValidityUnits={"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "days"},
    )["UserPoolClient"]
    cognito.create_group(
        GroupName=pool.admin_group, UserPoolId=created["Id"], Description="Shop administrators", Precedence=0
    )
    return CreatedUserPool(created["Id"], created["Arn"], app_client["ClientId"])


def user_pool_parameters(pool: system.UserPool, created: CreatedUserPool) -> dict[str, str]:
    """The SSM parameters that publish a user pool, as the identity module writes them."""
    return {
        f"{pool.parameter_path}/user-pool-id": created.id,
        f"{pool.parameter_path}/user-pool-arn": created.arn,
        f"{pool.parameter_path}/user-pool-client-id": created.client_id,
        f"{pool.parameter_path}/admin-group": pool.admin_group,
    }


def queue_arn(queue: str) -> str:
    return f"arn:aws:sqs:{system.REGION}:{system.ACCOUNT}:{queue}"


def queue_attributes(queue: system.Queue, redelivery_seconds: int | None = None) -> dict[str, str]:
    """CreateQueue attributes, as the Terraform modules declare them."""
    attributes = {
        "VisibilityTimeout": str(redelivery_seconds or queue.visibility_timeout),
        "MessageRetentionPeriod": str(queue.retention),
        "ReceiveMessageWaitTimeSeconds": str(queue.receive_wait),
        "SqsManagedSseEnabled": "true",
    }
    if queue.dead_letter_queue:
        policy = {
            "deadLetterTargetArn": queue_arn(queue.dead_letter_queue),
            "maxReceiveCount": queue.max_receive_count,
        }
        attributes["RedrivePolicy"] = json.dumps(policy)
    return attributes


def table_request(table: system.Table) -> dict[str, Any]:
    """CreateTable arguments for an on-demand table, as the Terraform modules declare it."""

    def key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
        keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
        return keys + ([{"AttributeName": range_key, "KeyType": "RANGE"}] if range_key else [])

    attributes = {table.hash_key, table.range_key} | {
        key for index in table.indexes for key in (index.hash_key, index.range_key)
    }
    request: dict[str, Any] = {
        "TableName": table.name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": key_schema(table.hash_key, table.range_key),
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes - {None})
        ],
    }
    if table.stream:
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": table.stream}
    if table.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": key_schema(index.hash_key, index.range_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    return request
