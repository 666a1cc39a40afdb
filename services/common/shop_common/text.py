"""Text that people type: user names, and free text without invisible control characters.

User names are what the APIs know customers by (the token's `cognito:username`), in paths,
bodies, table keys and events: 1 to 64 letters, digits or . _ @ + -. A few names are reserved
because they are also literal path segments beside `/basket/{userName}`: a user named
`checkout` could neither read nor delete their basket, as `/basket/checkout` is the checkout.

Free text (names, addresses, labels, descriptions) is stored, shown to people and carried by
events, so characters that are invisible or that reorder what is shown are refused, not
stored: the C0 and C1 control characters (NUL, ESC, DEL, ...), the bidirectional formatting
characters (the overrides U+202A to U+202E, the isolates U+2066 to U+2069, the marks U+200E,
U+200F and U+061C), U+FEFF, and the line and paragraph separators U+2028 and U+2029. Lone
surrogates are not text at all (pydantic refuses them as such). Multi-line text (a product's
description) may also hold line feeds, carriage returns and tabs.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

USER_NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")
USER_NAME_RULE = "1 to 64 letters, digits or . _ @ + -"
RESERVED_USER_NAMES = frozenset({"checkout"})  # POST /basket/checkout


def user_name_problem(value: str) -> str | None:
    """What is wrong with `value` as a user name (never echoing it: it may be anything), or None."""
    if not USER_NAME.match(value):
        return f"must be {USER_NAME_RULE}"
    if value in RESERVED_USER_NAMES:
        return f"{value} is reserved (a path of the API), so no user may have it"
    return None


def _user_name(value: str) -> str:
    if problem := user_name_problem(value):
        raise ValueError(problem)
    return value


UserName = Annotated[
    str,
    AfterValidator(_user_name),
    WithJsonSchema(
        {"type": "string", "pattern": USER_NAME.pattern, "not": {"enum": sorted(RESERVED_USER_NAMES)}}
    ),
]

# A user name as stored or published before names were reserved: read back as it is.
StoredUserName = Annotated[str, StringConstraints(pattern=USER_NAME.pattern)]

# As regular expression escapes, which Python, pydantic (Rust) and JSON Schema (ECMA 262) read alike.
_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff"
_LINE_BREAKS = r"\t\n\r"
SINGLE_LINE_PATTERN = f"^[^{_LINE_BREAKS}{_REFUSED}]*$"
MULTI_LINE_PATTERN = f"^[^{_REFUSED}]*$"
_REFUSED_CHARACTER = {
    SINGLE_LINE_PATTERN: re.compile(f"[{_LINE_BREAKS}{_REFUSED}]"),
    MULTI_LINE_PATTERN: re.compile(f"[{_REFUSED}]"),
}

# The patterns are checked with the bounds a field adds (Annotated[Text, Field(max_length=50)]),
# and shop_common.http words their failures with text_problem. Text is trimmed and not blank;
# MultilineText is kept as written, and may be empty.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=SINGLE_LINE_PATTERN)]
MultilineText = Annotated[str, StringConstraints(pattern=MULTI_LINE_PATTERN)]


def text_problem(pattern: str, value: object) -> str | None:
    """Why `value` does not match `pattern`, if it is one of the text patterns: the first character
    refused, by its code point (never the value). None for any other pattern."""
    refused = _REFUSED_CHARACTER.get(pattern)
    found = refused.search(value) if refused is not None and isinstance(value, str) else None
    if found is None:
        return None
    what = "line breaks" if found.group() in "\t\n\r" else "control or bidirectional formatting characters"
    return f"must not contain {what} (found U+{ord(found.group()):04X})"
