"""Strict JSON for drafts: what a browser's JSON.parse accepts, located errors otherwise."""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64
"""Drafts are flat objects; deeper nesting is refused before the parser recurses into it."""

# A string token (skipped) or a bracket; used only to locate over-deep nesting.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|([\[{])|[\]}]')
_CONSTANT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN)')


class DraftJSONError(ValueError):
    """The text is not a JSON document; ``line`` and ``column`` count from 1."""

    def __init__(self, detail: str, text: str, position: int) -> None:
        self.detail = detail
        self.line = text.count("\n", 0, position) + 1
        self.column = position - text.rfind("\n", 0, position)
        super().__init__(f"line {self.line}, column {self.column}: {detail}")


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _Constant(name)


def _parse_int(digits: str) -> int | float:
    # Python refuses to convert ints of more than 4300 digits; such a number is as wrong
    # for a draft field as any other, so keep it as a float (inf) instead of failing.
    return int(digits) if len(digits) <= 1000 else float(digits)


def _too_deep(text: str) -> int | None:
    depth = 0
    for match in _TOKEN.finditer(text):
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif match.group(0) in "]}":
            depth -= 1
    return None


def loads(text: str) -> object:
    """Parse a draft; raise `DraftJSONError` with line and column if it is not JSON."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.count("[") + text.count("{") > MAX_DEPTH:
        position = _too_deep(text)
        if position is not None:
            raise DraftJSONError(f"nested more than {MAX_DEPTH} levels deep", text, position)
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise DraftJSONError(error.msg, text, error.pos) from None
    except _Constant as error:
        found = next((m.start() for m in _CONSTANT.finditer(text) if m.group(1)), 0)
        raise DraftJSONError(f"{error} is not allowed in JSON", text, found) from None
    except RecursionError:
        raise DraftJSONError("nested too deeply", text, 0) from None
