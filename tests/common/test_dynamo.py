"""write_if: conditional writes that say why they failed."""

import pytest
from botocore.exceptions import ClientError

from shop_common.dynamo import ConditionFailed, write_if
from shop_common.errors import UnavailableError


def failing(code: str, item: dict | None = None):
    def call(**request):
        call.request = request
        response = {"Error": {"Code": code, "Message": "no"}, **({"Item": item} if item else {})}
        raise ClientError(response, "UpdateItem")

    return call


def test_only_the_names_and_values_the_expressions_use_are_sent():
    def call(**request):
        call.request = request
        return {}

    write_if(
        call,
        "store",
        UpdateExpression="SET #f10 = :v10",
        ConditionExpression="attribute_exists(#id)",
        ExpressionAttributeNames={"#id": "id", "#f1": "a", "#f10": "b"},
        ExpressionAttributeValues={":v1": {"N": "1"}},
    )
    assert call.request["ExpressionAttributeNames"] == {"#id": "id", "#f10": "b"}
    assert "ExpressionAttributeValues" not in call.request  # none used: DynamoDB refuses an empty map
    assert call.request["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD"


def test_a_failed_condition_carries_the_item_it_saw():
    with pytest.raises(ConditionFailed) as caught:
        write_if(
            failing("ConditionalCheckFailedException", {"id": {"S": "x"}, "version": {"N": "3"}}), "store"
        )
    assert caught.value.item == {"id": "x", "version": 3}
    with pytest.raises(ConditionFailed) as caught:
        write_if(failing("ConditionalCheckFailedException"), "store")
    assert caught.value.item is None


def test_other_errors_are_unavailable_or_left_as_they_are():
    with pytest.raises(UnavailableError, match="store"):
        write_if(failing("ThrottlingException"), "store")
    with pytest.raises(ClientError):
        write_if(failing("ValidationException"), "store")
