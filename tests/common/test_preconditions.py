"""If-Match parsing (RFC 9110 13.1.1) and its errors."""

import json

import pytest
from aws_lambda_powertools import Logger

from shop_common.errors import InvalidInputError, PreconditionFailedError
from shop_common.http import create_router, if_match, json_response
from shop_common.preconditions import MAX_TAGS, Condition, IfMatch, etag, if_match_condition, parse_if_match
from shop_common.rest_router import Request
from tests.helpers import api_event


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("*", IfMatch(any=True)),
        ('"3"', IfMatch(tags=frozenset({"3"}))),
        (' "3" , "4",', IfMatch(tags=frozenset({"3", "4"}))),
        ('"9f2c0e"', IfMatch(tags=frozenset({"9f2c0e"}))),
        ('W/"3"', IfMatch()),  # weak: never matches under the strong comparison If-Match uses
        ('W/"3", "4"', IfMatch(tags=frozenset({"4"}))),
        ('""', IfMatch(tags=frozenset({""}))),
    ],
)
def test_if_match_is_star_or_a_list_of_entity_tags(header, parsed):
    assert parse_if_match(header) == parsed


@pytest.mark.parametrize(
    "header", ["", " ", "3", '"3', "'3'", '"3" "4"', '*, "3"', '"a b"', '"' + "x" * 3 + '",x']
)
def test_malformed_if_match_is_refused(header):
    with pytest.raises(ValueError):
        parse_if_match(header)


def test_too_many_tags_are_refused():
    with pytest.raises(ValueError, match=str(MAX_TAGS)):
        parse_if_match(", ".join(f'"{i}"' for i in range(MAX_TAGS + 1)))


def test_matching_is_strong():
    assert IfMatch(any=True).matches("7")
    assert IfMatch(tags=frozenset({"7"})).matches("7") and not IfMatch(tags=frozenset({"7"})).matches("8")
    assert etag(7) == '"7"'


def test_the_header_is_read_whatever_its_case_and_a_bad_one_is_a_400_naming_it():
    event = Request(api_event("PUT", "/thing", {}, headers={"if-match": '"2"'}))
    assert if_match(event) == IfMatch(tags=frozenset({"2"}))
    assert if_match(Request(api_event("PUT", "/thing", {}))) is None
    with pytest.raises(InvalidInputError) as caught:
        if_match(Request(api_event("PUT", "/thing", {}, headers={"If-Match": "2"})))
    assert "If-Match" in str(caught.value) and caught.value.errors[0].field == "If-Match"


def test_every_if_match_header_counts():
    event = api_event("PUT", "/thing", {})
    event["multiValueHeaders"]["If-Match"] = ['"1"', '"2"']
    event["headers"]["If-Match"] = '"2"'
    assert if_match(Request(event)) == IfMatch(tags=frozenset({"1", "2"}))


def test_a_failed_precondition_is_a_412_naming_the_header_and_an_answer_carries_its_etag():
    app = create_router(Logger(service="test"))

    @app.put("/stale")
    def stale():
        raise PreconditionFailedError("changed")

    @app.get("/fresh")
    def fresh():
        return json_response(200, {"ok": True}, version=4)

    response = app.resolve(api_event("PUT", "/stale", {}))
    assert response["statusCode"] == 412
    assert json.loads(response["body"]) == {
        "message": "changed",
        "errors": [{"field": "If-Match", "message": "does not match the current ETag"}],
    }
    response = app.resolve(api_event("GET", "/fresh"))
    assert response["multiValueHeaders"]["ETag"] == ['"4"']


# One If-Match condition builder for every repository (product versions, basket revisions).


def test_without_if_match_there_is_no_condition():
    assert if_match_condition(None, "id", "version") is None


def test_star_means_any_version_of_an_existing_item():
    assert if_match_condition(IfMatch(any=True), "userName", "revision") == Condition(
        "attribute_exists(#ifMatchKey)", {"#ifMatchKey": "userName"}
    )


def test_tags_are_the_versions_the_item_may_be_at():
    condition = if_match_condition(IfMatch(tags=frozenset({"b", "a"})), "userName", "revision")
    assert (
        condition.expression
        == "attribute_exists(#ifMatchKey) AND (#ifMatchVersion IN (:ifMatch0, :ifMatch1))"
    )
    assert condition.names == {"#ifMatchKey": "userName", "#ifMatchVersion": "revision"}
    assert condition.values == {":ifMatch0": {"S": "a"}, ":ifMatch1": {"S": "b"}}


def test_numeric_versions_and_the_tag_of_an_unversioned_item():
    def number(tag: str) -> dict[str, str]:
        return {"N": tag} if tag.isdigit() else {"S": tag}

    condition = if_match_condition(
        IfMatch(tags=frozenset({"0", "x"})), "id", "version", number, unversioned="0"
    )
    assert condition.values == {":ifMatch0": {"N": "0"}, ":ifMatch1": {"S": "x"}}
    assert condition.expression.endswith(
        "(#ifMatchVersion IN (:ifMatch0, :ifMatch1) OR attribute_not_exists(#ifMatchVersion))"
    )


def test_only_weak_tags_match_nothing():
    condition = if_match_condition(IfMatch(), "id", "version")
    assert condition.expression == "attribute_exists(#ifMatchKey) AND attribute_not_exists(#ifMatchKey)"


def test_an_if_match_condition_is_added_to_the_writes_own():
    own = Condition("attribute_not_exists(#pending)", {"#pending": "pendingCheckout"}, {":a": {"S": "a"}})
    assert own.also(None) is own  # no If-Match
    both = own.also(if_match_condition(IfMatch(tags=frozenset({"r1"})), "userName", "revision"))
    assert both.expression == (
        "(attribute_not_exists(#pending)) AND "
        "(attribute_exists(#ifMatchKey) AND (#ifMatchVersion IN (:ifMatch0)))"
    )
    assert both.names == {
        "#pending": "pendingCheckout",
        "#ifMatchKey": "userName",
        "#ifMatchVersion": "revision",
    }
    assert both.values == {":a": {"S": "a"}, ":ifMatch0": {"S": "r1"}}


def test_a_condition_with_an_or_keeps_its_meaning_once_combined():
    # GIVEN a write's own condition with a top-level OR (AND binds tighter in DynamoDB)
    own = Condition("attribute_not_exists(#a) OR #a = :a", {"#a": "a"}, {":a": {"S": "x"}})
    # WHEN an If-Match condition joins it
    both = own.also(if_match_condition(IfMatch(any=True), "id", "version"))
    # THEN each side stays whole
    assert both.expression == "(attribute_not_exists(#a) OR #a = :a) AND (attribute_exists(#ifMatchKey))"


def test_conditions_that_share_a_placeholder_are_refused():
    own = Condition("#ifMatchKey = :k", {"#ifMatchKey": "other"}, {":k": {"S": "x"}})
    with pytest.raises(ValueError, match="#ifMatchKey"):
        own.also(if_match_condition(IfMatch(any=True), "id", "version"))
