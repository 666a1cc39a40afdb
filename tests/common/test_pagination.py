import base64

import pytest
from botocore.exceptions import ClientError

from shop_common.dynamo import read_page
from shop_common.errors import InvalidInputError
from shop_common.pagination import PageRequest, decode_token, encode_token

KEY = {"userName": {"S": "ana"}, "orderKey": {"S": "2026-11-26T10:00:00.000Z#1"}}


def test_a_token_gives_back_its_key():
    assert decode_token(encode_token(KEY), ("userName", "orderKey")) == KEY


@pytest.mark.parametrize(
    "token",
    [
        "not base64 !",
        encode_token({"userName": {"S": "ana"}}),  # missing a key attribute
        encode_token({**KEY, "extra": {"S": "x"}}),
        encode_token({"userName": {"N": "1"}, "orderKey": {"S": "x"}}),
        encode_token({"userName": "ana", "orderKey": {"S": "x"}}),
        "W10",  # base64 of []
        encode_token({"userName": {"S": ""}, "orderKey": {"S": "x"}}),
        base64.urlsafe_b64encode(b"[" * 5000).decode(),
        "A" * 5000,
    ],
)
def test_tampered_tokens_are_invalid_input(token):
    with pytest.raises(InvalidInputError, match="nextToken"):
        decode_token(token, ("userName", "orderKey"))


def test_a_token_of_another_partition_is_refused():
    with pytest.raises(InvalidInputError):
        decode_token(encode_token(KEY), ("userName", "orderKey"), fixed={"userName": "bob"})


def test_a_token_dynamodb_refuses_is_invalid_input():
    def query(**_):
        message = "The provided starting key is outside query boundaries based on provided conditions"
        raise ClientError({"Error": {"Code": "ValidationException", "Message": message}}, "Query")

    with pytest.raises(InvalidInputError, match="nextToken"):
        read_page(query, {}, PageRequest(token=encode_token(KEY)), ("userName", "orderKey"))
