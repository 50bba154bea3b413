"""Draft files as bytes and as JSON: one decoder and one strict parser, in linear time.

`decode` turns a draft file's bytes into text the way the browser's pre-check does
(docs/assets/precheck/draft-text.mjs implements the same rules; a shared corpus of byte
files in tests/fixtures/encoding/ proves they agree):

1. a UTF-16 or UTF-32 byte order mark: refused, naming the encoding;
2. the first NUL byte or the first byte that is not UTF-8 (as Python's strict decoder and
   the browser's fatal TextDecoder find it): refused, naming its position;
3. one leading UTF-8 byte order mark is dropped; a second one stays in the text, where it
   is not JSON.

`loads` parses text as a browser's JSON.parse does (no NaN or Infinity), refuses nesting
deeper than the schema's limit before the parser recurses into it, and locates every error
by line and column. Every step is linear in the input.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from typing import Any

from . import catalogue

# The tokens that matter for nesting, matched one after the other: a string (possessive, so
# an unterminated one ends the scan instead of being retried from every later quote), a
# bracket, or a run of anything else. Each character is looked at a bounded number of times.
_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|([\[{])|([\]}])|[^"\[\]{}]++', re.DOTALL)
_CONSTANT = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|(-?Infinity|NaN)', re.DOTALL)

_WIDE_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)


class DraftJSONError(ValueError):
    """The text is not a JSON document; ``line`` and ``column`` count from 1."""

    def __init__(self, detail: str, text: str, position: int) -> None:
        self.detail = detail
        self.line = text.count("\n", 0, position) + 1
        self.column = position - text.rfind("\n", 0, position)
        super().__init__(f"line {self.line}, column {self.column}: {detail}")


@dataclass
class DraftEncodingError(ValueError):
    """The bytes are not UTF-8 text. ``message`` names the ticket.schema.json x-messages
    entry that words it; ``values`` fill it in (byte, line and column count bytes, from 0
    for the byte and from 1 for line and column)."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.message}: {self.values}"


def _at(data: bytes, position: int) -> dict[str, int]:
    return {
        "byte": position,
        "line": data.count(b"\n", 0, position) + 1,
        "column": position - data.rfind(b"\n", 0, position),
    }


def decode(data: bytes) -> str:
    """A draft file's text; `DraftEncodingError` if it is not UTF-8 (see the module doc)."""
    for mark, encoding in _WIDE_BOMS:
        if data.startswith(mark):
            raise DraftEncodingError("not_utf8_encoding", {"encoding": encoding})
    nul = data.find(b"\x00")
    try:
        text = (data[:nul] if nul >= 0 else data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise DraftEncodingError("not_utf8", _at(data, error.start)) from None
    if nul >= 0:
        raise DraftEncodingError("not_utf8_nul", _at(data, nul))
    return text[1:] if text.startswith("\ufeff") else text


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _Constant(name)


def _parse_int(digits: str) -> int | float:
    # Python refuses to convert ints of more than 4300 digits; such a number is as wrong
    # for a draft field as any other, so keep it as a float (inf) instead of failing.
    return int(digits) if len(digits) <= 1000 else float(digits)


def _too_deep(text: str, limit: int) -> int | None:
    """Where the first bracket deeper than ``limit`` opens, or None."""
    depth = 0
    for match in _TOKEN.finditer(text):
        if match.group(1):
            depth += 1
            if depth > limit:
                return match.start()
        elif match.group(2):
            depth -= 1
    return None


def loads(text: str) -> object:
    """Parse a draft; raise `DraftJSONError` with line and column if it is not JSON."""
    if text.startswith("\ufeff"):  # `decode` drops one; a second is not JSON
        raise DraftJSONError("a byte order mark (U+FEFF) is not allowed here", text, 0)
    limit = catalogue.draft_limits().max_depth
    if text.count("[") + text.count("{") > limit:
        position = _too_deep(text, limit)
        if position is not None:
            raise DraftJSONError(f"nested more than {limit} levels deep", text, position)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise DraftJSONError(error.msg, text, error.pos) from None
    except _Constant as error:
        found = next((m.start() for m in _CONSTANT.finditer(text) if m.group(1)), 0)
        raise DraftJSONError(f"{error} is not allowed in JSON", text, found) from None
    except RecursionError:
        raise DraftJSONError("nested too deeply", text, 0) from None
