"""The embedded AWS keeps the DynamoDB guarantee the services' optimistic concurrency relies on."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.parsing.validators import UpdateExpressionValidator

from scripts.localcloud import system
from scripts.localcloud.aws.resources import table_request
from scripts.localcloud.aws.server import EmbeddedAws

WRITERS = 6


@pytest.fixture(scope="module")
def embedded():
    aws = EmbeddedAws()
    aws.start()
    yield aws
    aws.stop()


def test_conditional_writes_on_one_version_are_atomic_one_wins(embedded, monkeypatch):
    """Writers that read the same version each write if it is still that version: exactly one
    must win, as in DynamoDB. moto checks the condition, then validates the update, then writes,
    with no lock: when validating is slow (here 0.1 s, as on a loaded machine), every writer
    passes the check and all but the last write are lost."""
    validate = UpdateExpressionValidator.validate

    def slow_validate(self):
        time.sleep(0.1)  # between moto's condition check and its write
        return validate(self)

    monkeypatch.setattr(UpdateExpressionValidator, "validate", slow_validate)
    client = embedded.client("dynamodb")
    table = system.Table(name="versions", hash_key="id")
    client.create_table(**table_request(table))
    client.put_item(TableName=table.name, Item={"id": {"S": "p"}, "version": {"N": "1"}})

    def write(number: int) -> bool:
        try:
            client.update_item(
                TableName=table.name,
                Key={"id": {"S": "p"}},
                UpdateExpression="SET version = version + :one, writer = :writer",
                ConditionExpression="version = :read",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":read": {"N": "1"},
                    ":writer": {"N": str(number)},
                },
            )
            return True
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        accepted = sum(pool.map(write, range(WRITERS)))
    final = client.get_item(TableName=table.name, Key={"id": {"S": "p"}}, ConsistentRead=True)["Item"]
    assert (accepted, final["version"]["N"]) == (1, "2")
