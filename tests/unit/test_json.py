"""The draft file's bytes and JSON: one decoder (shared with the pre-check page), a strict
pre-parser that locates every error, and checks that grow linearly with the input."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cytrack_ticket import _json, catalogue, check_json

from .conftest import NOW_ISO

MAX_DEPTH = catalogue.draft_limits().max_depth
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- linear time -------------------------------------------------------------------------

KB = 1024


def _fill(prefix: str, unit: str, size: int, suffix: str = "") -> str:
    return prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix


# Inputs built to make a scanner backtrack or rescan: each is a function of its size.
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    # issue 9: a string that never ends, full of escaped quotes, after 70 bracket pairs
    "unterminated-escaped-quotes": lambda n: _fill("[]" * 70 + '"', '\\"', n),
    "escaped-quotes-then-lone-backslash": lambda n: _fill("[]" * 70 + '"', '\\"', n, "\\"),
    "brackets-inside-one-string": lambda n: _fill('["', "[{", n, '"]'),
    "deep-then-unterminated": lambda n: _fill("[" * MAX_DEPTH + '"', '\\"', n),
    "over-deep": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "nan-after-many-strings": lambda n: _fill("[", '"\\"",', n, "NaN]"),
    "huge-number": lambda n: _fill('{"subject": ', "9", n, "}"),
    "many-unknown-keys": lambda n: (
        '{"issue_type": "phone"' + "".join(f', "k{index:07d}": 1' for index in range(n // 16)) + "}"
    ),
    "long-unknown-key": lambda n: _fill('{"issue_type": "phone", "', "k", n, '": 1}'),
    "control-characters-in-a-long-text": lambda n: json.dumps(
        {"issue_type": "phone", "description": _fill("", "\u202e\x1b", n // 8)}
    ),
    "unicode-escapes": lambda n: _fill('{"subject": "', "\\u0000", n, '"}'),
    "bytes-with-a-late-bad-byte": lambda n: _fill('{"subject": "', "é", n, '\udcff"}'),
}


def _seconds_per_call(text: str | bytes) -> float:
    """One measurement over enough calls to last 20 ms (one call when a call is slower)."""
    calls, start = 0, time.perf_counter()
    while True:
        check_json(text, NOW_ISO)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 0.02:
            return elapsed / calls


def growth(small: str | bytes, large: str | bytes) -> float:
    """How many times longer a check of ``large`` takes than one of ``small``: the fastest of
    several measurements of each, taken in turn so that a busy machine slows both alike. A
    ratio, not a clock, is what the test asserts."""
    fastest = {"small": float("inf"), "large": float("inf")}
    for rounds in range(1, 16):
        for size, text in (("small", small), ("large", large)):
            fastest[size] = min(fastest[size], _seconds_per_call(text))
        if fastest["small"] > 1:  # quadratic: the answer is already clear
            break
        if rounds >= 5 and fastest["large"] / fastest["small"] < 2.5:
            break  # clearly linear; more rounds only guard against a busy machine
    return fastest["large"] / fastest["small"]


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_every_check_grows_linearly_with_the_input(name):
    def sized(size: int) -> str | bytes:
        text = ADVERSARIAL[name](size)
        if name.startswith("bytes-"):  # a lone surrogate stands for a byte that is not UTF-8
            return text.encode("utf-8", "surrogateescape")
        return text

    small, large = sized(40 * KB), sized(80 * KB)
    assert 1.8 < len(large) / len(small) < 2.2
    ratio = growth(small, large)
    # Linear work doubles (2); quadratic work quadruples (4).
    assert ratio < 3, f"{name}: 40 KB -> 80 KB took {ratio:.1f} times as long"


# -- the pre-parser against a reference -----------------------------------------------------


def reference_first_over_deep(text: str, limit: int) -> int | None:
    """The obvious character loop: where the first bracket deeper than ``limit`` opens."""
    depth, in_string, escaped = 0, False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return index
        elif char in "]}":
            depth -= 1
    return None


class _Constant(ValueError):
    pass


def _refuse(name: str) -> object:
    raise _Constant(name)


def reference_loads(text: str) -> object:
    """What the standard library accepts, without NaN and Infinity."""
    return json.loads(text, parse_constant=_refuse)


TOKENS = st.sampled_from(
    [
        "[", "]", "{", "}", '"', "\\", '\\"', "\\\\", "\\u00", "\\ud800", ":", ",", " ", "\n",
        "\t", "1", "-", "0", "1e999", "9" * 30, "NaN", "Infinity", "-Infinity", "null",
        "true", '"a"', '"k":', "é", "\ufeff", "\x00", "\u2028", "'",
    ]
)  # fmt: skip
TOKEN_SOUP = st.lists(TOKENS, max_size=200).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)


def nested(depth: int, inner: str = "1") -> str:
    text = inner
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k": {text}}}'
    return text


NEAR_THE_LIMIT = st.integers(MAX_DEPTH - 2, MAX_DEPTH + 2).flatmap(
    lambda depth: st.sampled_from(
        [nested(depth), nested(depth, '"[[[{"'), nested(depth, '"\\"[["'), nested(depth)[:-1]]
    )
)
TEXTS = TOKEN_SOUP | JSON_VALUES.map(json.dumps) | NEAR_THE_LIMIT


@FUZZ
@given(TEXTS)
@example("[]" * 70 + '"' + '\\"' * 50)
@example('"\\')
@example("[" * (MAX_DEPTH + 1))
@example('["\\"' + "[" * (MAX_DEPTH + 5) + '"]')
def test_the_pre_parser_agrees_with_the_standard_library_and_locates_errors(text):
    over_deep = reference_first_over_deep(text, MAX_DEPTH)
    try:
        value = _json.loads(text)
    except _json.DraftJSONError as error:
        assert error.line >= 1 and error.column >= 1
        assert error.line <= text.count("\n") + 1
        if over_deep is not None:
            assert error.detail == f"nested more than {MAX_DEPTH} levels deep"
            assert (error.line, error.column) == (
                text.count("\n", 0, over_deep) + 1,
                over_deep - text.rfind("\n", 0, over_deep),
            )
            return
        try:
            reference_loads(text)
        except (ValueError, RecursionError):
            return  # both refuse it
        raise AssertionError(f"the standard library accepts {text!r}") from error
    assert over_deep is None
    assert value == reference_loads(text) or json.dumps(value) == json.dumps(reference_loads(text))


# -- the decoder ---------------------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=40)
    | st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass"))
    | st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]).flatmap(
        lambda mark: st.binary(max_size=20).map(lambda rest: mark + rest)
    )
)
@example(b"\xef\xbb\xbf\xef\xbb\xbf{}")
@example(b"\xe2\x82\x00")
def test_the_decoder_is_strict_utf8_with_one_optional_mark(data):
    try:
        text = _json.decode(data)
    except _json.DraftEncodingError as error:
        if error.message == "not_utf8_encoding":
            assert data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff"
            return
        byte = error.values["byte"]
        prefix = data[:byte]
        prefix.decode("utf-8")  # everything before the reported byte is UTF-8 without NUL
        assert b"\x00" not in prefix
        if error.message == "not_utf8_nul":
            assert data[byte] == 0
        else:
            assert error.message == "not_utf8"
            with pytest.raises(UnicodeDecodeError) as raised:
                data.decode("utf-8")
            assert raised.value.start == byte
        assert error.values["line"] == prefix.count(b"\n") + 1
        return
    assert b"\x00" not in data
    full = data.decode("utf-8")
    assert text == (full[1:] if full.startswith("\ufeff") else full)


def _at(byte: int, line: int, column: int) -> dict[str, int]:
    return {"byte": byte, "line": line, "column": column}


WIDE = "not_utf8_encoding"


def _in(encoding: str) -> dict[str, str]:
    return {"encoding": encoding}


@pytest.mark.parametrize(
    ("data", "message", "values"),
    [
        pytest.param(b"\xff\xfe{\x00}\x00", WIDE, _in("UTF-16 (little-endian)"), id="16le"),
        pytest.param(b"\xfe\xff\x00{\x00}", WIDE, _in("UTF-16 (big-endian)"), id="16be"),
        pytest.param(b"\xff\xfe\x00\x00{\x00\x00", WIDE, _in("UTF-32 (little-endian)"), id="32le"),
        pytest.param(b"\x00\x00\xfe\xff\x00\x00\x00{", WIDE, _in("UTF-32 (big-endian)"), id="32be"),
        pytest.param(b"{\x00}\x00", "not_utf8_nul", _at(1, 1, 2), id="utf16-without-mark"),
        pytest.param(b'{\n  "a": "caf\xe9"\n}', "not_utf8", _at(13, 2, 12), id="latin1"),
        pytest.param(b'"\xed\xa0\x80"', "not_utf8", _at(1, 1, 2), id="encoded-surrogate"),
        pytest.param(b'"\xc0\xaf"', "not_utf8", _at(1, 1, 2), id="overlong"),
    ],
)  # fmt: skip
def test_the_decoder_names_what_is_wrong(data, message, values):
    with pytest.raises(_json.DraftEncodingError) as raised:
        _json.decode(data)
    assert (raised.value.message, raised.value.values) == (message, values)


def test_one_byte_order_mark_is_dropped_and_a_second_is_not_json():
    assert _json.decode(b"\xef\xbb\xbf{}") == "{}"
    assert _json.decode(b"\xef\xbb\xbf\xef\xbb\xbf{}") == "\ufeff{}"
    result = json.loads(check_json(b"\xef\xbb\xbf\xef\xbb\xbf{}", NOW_ISO))
    assert [error["code"] for error in result["errors"]] == ["not_json"]
    assert "line 1, column 1" in result["errors"][0]["message"]


def test_bytes_that_are_not_utf8_give_one_not_utf8_error():
    result = json.loads(check_json(b'{"subject": "caf\xe9"}', NOW_ISO))
    assert result["errors"] == [
        {
            "field": None,
            "code": "not_utf8",
            "message": "Save the draft as UTF-8 text: byte 16 (line 1, column 17) is not UTF-8",
        }
    ]
