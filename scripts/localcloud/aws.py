"""The embedded AWS: moto's server in this process, and the system's resources created in it."""

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from moto.dynamodb.responses import DynamoHandler
from moto.events.models import EventsBackend
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.sqs.models import SQSBackend

from scripts.localcloud import system

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass(frozen=True)
class CreatedUserPool:
    """The ids that the embedded AWS gave a user pool and its app client."""

    id: str
    arn: str
    client_id: str


class EmbeddedAws:
    def __init__(self, port: int = 0):
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.endpoint = ""

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per AWS call
        _propagate_trace_headers()
        complete_event_envelopes()
        _atomic_dynamodb_requests()
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def client(self, service: str) -> Any:
        return client(service, self.endpoint)

    def provision(
        self, services: tuple[system.Service, ...], redelivery_seconds: int | None = None
    ) -> dict[str, CreatedUserPool]:
        """Creates every resource of `services` and returns the user pools by name.
        `redelivery_seconds` shortens the visibility timeout of queues, so that tests see
        failed records come back within seconds."""
        dynamodb, events, sqs, ssm = (self.client(s) for s in ("dynamodb", "events", "sqs", "ssm"))
        pools = {}
        for service in services:
            for pool in service.user_pools:
                pools[pool.name] = created = create_user_pool(self.client("cognito-idp"), pool)
                for parameter, value in user_pool_parameters(pool, created).items():
                    ssm.put_parameter(Name=parameter, Value=value, Type="String", Overwrite=True)
            for table in service.tables:
                dynamodb.create_table(**table_request(table))
            for bus in service.buses:
                events.create_event_bus(Name=bus)
            for parameter, value in service.parameters.items():
                ssm.put_parameter(Name=parameter, Value=value, Type="String", Overwrite=True)
            # Dead-letter queues first: a redrive policy names an existing queue.
            for queue in sorted(service.queues, key=lambda q: q.dead_letter_queue is not None):
                sqs.create_queue(QueueName=queue.name, Attributes=queue_attributes(queue, redelivery_seconds))
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
    client = cognito.create_user_pool_client(
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
    return CreatedUserPool(created["Id"], created["Arn"], client["ClientId"])


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


def client(service: str, endpoint: str) -> Any:
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    return boto3.client(
        service, endpoint_url=endpoint, region_name=system.REGION, config=config, **CREDENTIALS
    )


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


_delivery = threading.local()


def _propagate_trace_headers() -> None:
    """Makes moto carry PutEvents' TraceHeader to SQS targets as AWSTraceHeader, as AWS does.

    moto 5.2 drops the header. PutEvents entries are handed to moto one at a time, and each
    SQS message sent while an entry is being delivered gets that entry's header.
    """
    if getattr(EventsBackend.put_events, "_propagates_trace_headers", False):
        return
    put_events, send_message = EventsBackend.put_events, SQSBackend.send_message

    def put_events_with_trace(self: EventsBackend, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        entries = []
        for event in events:
            _delivery.trace_header = event.get("TraceHeader")
            try:
                entries += put_events(self, [event])
            finally:
                _delivery.trace_header = None
        return entries

    def send_message_with_trace(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
        header = getattr(_delivery, "trace_header", None)
        if header and not kwargs.get("system_attributes"):
            kwargs["system_attributes"] = {"AWSTraceHeader": {"StringValue": header, "DataType": "String"}}
        return send_message(self, *args, **kwargs)

    put_events_with_trace._propagates_trace_headers = True  # type: ignore[attr-defined]
    EventsBackend.put_events = put_events_with_trace  # type: ignore[method-assign]
    SQSBackend.send_message = send_message_with_trace  # type: ignore[method-assign]


def complete_event_envelopes() -> None:
    """Makes moto deliver events to targets with their `account`, as EventBridge does.

    moto 5.2's default input template (a target without an InputTransformer) leaves `account`
    out, which the event contracts require. Also for the tools that run moto in process.
    """
    from moto.events.utils import EventTemplateParser

    template = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
    if '"account"' not in template:
        EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = template.replace(
            '"version": "0",', '"version": "0", "account": "<account>",', 1
        )


_dynamodb_lock = threading.Lock()


def _atomic_dynamodb_requests() -> None:
    """Makes moto's DynamoDB carry out one request at a time.

    DynamoDB makes each item operation atomic: a conditional write checks and writes as one step,
    and a read sees an item before or after a write, never halfway. moto's server handles requests
    on many threads with no lock, so two concurrent writes conditional on the same version could
    both pass, a lost update DynamoDB itself never allows (tests/localcloud/test_embedded_aws.py).
    """
    if getattr(DynamoHandler.call_action, "_atomic", False):
        return
    call_action = DynamoHandler.call_action

    def atomic_call_action(self: DynamoHandler) -> Any:
        with _dynamodb_lock:
            return call_action(self)

    atomic_call_action._atomic = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = atomic_call_action  # type: ignore[method-assign]
