"""Text rules (shop_common.text): user names, reserved names, and no control characters."""

from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, Field

from shop_common.errors import InvalidInputError
from shop_common.http import parse_body
from shop_common.text import MultilineText, StoredUserName, Text, UserName, user_name_problem
from tests.common.test_http import event


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[Text, Field(max_length=20)]
    body: Annotated[MultilineText, Field(max_length=100)] = ""
    owner: UserName = "swn"


def refused(data: dict) -> dict[str, str]:
    with pytest.raises(InvalidInputError) as caught:
        parse_body(event(data), Note)
    return {e.field: e.message for e in caught.value.errors}


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\x00", "NUL"),
        ("\x1b", "ESC"),
        ("\x7f", "DEL"),
        ("\x85", "NEL (C1)"),
        ("\u202e", "right-to-left override"),
        ("\u202a", "left-to-right embedding"),
        ("\u2066", "left-to-right isolate"),
        ("\u2069", "pop directional isolate"),
        ("\u200f", "right-to-left mark"),
        ("\u061c", "Arabic letter mark"),
        ("\ufeff", "zero width no-break space"),
        ("\u2028", "line separator"),
    ],
    ids=lambda v: v if len(v) > 1 else f"U+{ord(v):04X}",
)
def test_control_and_bidirectional_characters_are_refused_naming_the_field(character, name):
    message = refused({"title": f"a{character}b"})["title"]
    assert message == (
        f"must not contain control or bidirectional formatting characters (found U+{ord(character):04X})"
    )
    assert refused({"title": "ok", "body": f"a{character}b"})["body"].startswith("must not contain")


@pytest.mark.parametrize("character", ["\n", "\r", "\t"])
def test_line_breaks_are_refused_in_single_line_text_only(character):
    assert refused({"title": f"a{character}b"}) == {
        "title": f"must not contain line breaks (found U+{ord(character):04X})"
    }
    assert (
        parse_body(event({"title": "x", "body": f"line{character}line"}), Note).body == f"line{character}line"
    )


def test_other_text_is_kept_as_written():
    """Letters of any script, emoji with their zero width joiners, dashes."""
    text = "\u00c7ay \U0001f375 \U0001f469\u200d\U0001f4bb \u0645\u0631\u062d\u0628\u0627 \u2013 ok"
    assert parse_body(event({"title": text[:20], "body": text}), Note).body == text


def test_a_bound_is_counted_after_trimming_and_says_characters():
    assert parse_body(event({"title": "  padded  "}), Note).title == "padded"
    assert refused({"title": "x" * 21}) == {"title": "String should have at most 20 characters"}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("alice", None),
        ("a.b_c@d+e-f", None),
        ("Checkout", None),  # names are case-sensitive, and so are the API's paths
        ("checkout", "checkout is reserved (a path of the API), so no user may have it"),
        ("a b", "must be 1 to 64 letters, digits or . _ @ + -"),
        ("x" * 65, "must be 1 to 64 letters, digits or . _ @ + -"),
        ("", "must be 1 to 64 letters, digits or . _ @ + -"),
    ],
)
def test_user_names(name, problem):
    assert user_name_problem(name) == problem


def test_the_reserved_name_is_refused_in_a_body_naming_the_field():
    assert refused({"title": "x", "owner": "checkout"}) == {
        "owner": "checkout is reserved (a path of the API), so no user may have it"
    }


def test_names_stored_before_the_reservation_are_still_read():
    class Stored(BaseModel):
        userName: StoredUserName

    assert Stored(userName="checkout").userName == "checkout"


def test_the_json_schema_says_the_rules():
    schema = Note.model_json_schema()["properties"]
    assert schema["title"]["maxLength"] == 20 and "\\x00" in schema["title"]["pattern"]
    assert "\\n" in schema["title"]["pattern"] and "\\n" not in schema["body"]["pattern"]
    assert schema["owner"]["not"] == {"enum": ["checkout"]}
