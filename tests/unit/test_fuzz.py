"""The engine never raises on any input and always answers in the documented shape."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cytrack_ticket import CheckResult, catalogue, check, check_json
from cytrack_ticket._datetime import SYSTEM_ZONE

from .conftest import NOW, NOW_ISO, load_fixture

CODES = {
    "required", "type", "enum", "too_long", "phone_format", "not_a_date_time", "in_future",
    "after_hours_priority", "remote_access_required", "charges_required", "unknown_field",
    "not_an_object", "not_json", "not_utf8", "control_character", "providers_not_checked",
    "outside_business_hours", "tapi_not_covered", "placeholder", "stale",
}  # fmt: skip
FIELDS = [
    "issue_type", "subject", "priority", "after_hours", "agent_name", "extension",
    "missing_information", "affected", "occurred_at", "steps_taken", "description",
    "recent_changes", "contact_name", "callback_phone", "remote_access_ready",
    "charges_acknowledged", "providers_checked",
]  # fmt: skip
VALID_FIXTURES = ["phone/valid/after-hours", "dashboard/valid/typical", "other/valid/typical"]
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "a\udfffb",
        "\u202eevil\u202c",
        "\U0001f4de\U0001f525 TAPI",
        "NaN",
        "-Infinity",
        "null",
        "n/a",
        "2026-02-30T10:00",
        "2026-11-26T03:05",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00+23:59",
        "{value} {0} {}",
        "x" * 1_000_000,
        " " * 1_000_000,
        "7" * 1_000_000,
        "phone system " * 80_000,
    ]
)
TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=60) | ODD_STRINGS
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(5000).map(lambda digits: 10**digits)  # too long for str(): st.just would repr it
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | TEXT, children, max_size=4)
    ),
    max_leaves=20,
)
ENUM_VALUES = st.sampled_from(["phone", "dashboard", "other", "low", "critical", "yes", "no"])
FIELD_VALUES = TEXT | ENUM_VALUES | st.booleans() | JSON_VALUES


def deep(depth: int) -> Any:
    value: Any = "x"
    for index in range(depth):
        value = [value] if index % 2 else {"subject": value}
    return value


RESULT_KEYS = ["valid", "issue_type", "errors", "warnings", "ticket_text", "ticket_parts"]


def assert_shape(result: CheckResult) -> None:
    data = result.to_dict()
    assert list(data) == RESULT_KEYS
    assert data["valid"] is (not data["errors"])
    assert data["issue_type"] in (None, *catalogue.issue_types())
    assert (data["ticket_text"] is not None) is (data["valid"] and data["issue_type"] is not None)
    assert (data["ticket_parts"] is None) is (data["ticket_text"] is None)
    if data["ticket_parts"] is not None:
        parts = data["ticket_parts"]
        assert list(parts) == list(catalogue.ticket_parts())
        assert data["ticket_text"].endswith("\n" + parts["description"])
        assert "\n" not in parts["subject"]
    for severity in ("errors", "warnings"):
        for finding in data[severity]:
            assert list(finding) == ["field", "code", "message"]
            assert finding["field"] is None or isinstance(finding["field"], str)
            assert finding["code"] in CODES
            assert isinstance(finding["message"], str) and finding["message"].strip()
    fields = [finding["field"] for finding in data["errors"]]
    assert len(fields) == len(set(fields)), "one error per field"


@FUZZ
@given(JSON_VALUES)
def test_check_never_raises_on_any_json_value(draft):
    assert_shape(check(draft, now=NOW))


@FUZZ
@given(
    st.dictionaries(st.sampled_from(FIELDS), FIELD_VALUES, max_size=len(FIELDS)),
    st.sampled_from([*catalogue.issue_types(), None]),
)
def test_check_never_raises_on_drafts_of_the_right_shape(draft, issue_type):
    if issue_type is not None:
        draft["issue_type"] = issue_type
    assert_shape(check(draft, now=NOW))


@FUZZ
@given(st.sampled_from(VALID_FIXTURES), st.sampled_from(FIELDS), FIELD_VALUES)
def test_one_odd_value_in_a_valid_draft(name, key, value):
    draft = load_fixture(name)
    draft[key] = value
    assert_shape(check(draft, now=NOW))


@FUZZ
@given(JSON_VALUES)
def test_check_json_agrees_with_check(draft):
    try:
        text = json.dumps(draft, allow_nan=False)
    except ValueError:  # NaN, or an int too long for str(): not something JSON can carry
        return
    output = check_json(text, NOW_ISO)
    assert output.isascii()
    assert output == json.dumps(
        check(json.loads(text), now=NOW).to_dict(), separators=(",", ":"), ensure_ascii=True
    )


@FUZZ
@given(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=200)
    | st.sampled_from(
        [
            "",
            "\ufeff{}",
            "NaN",
            "[1, Infinity]",
            '{"subject": -Infinity}',
            "1" * 5000,
            '{"subject": ' + "9" * 5000 + "}",
            "[" * 100_000,
            "[" * 50 + "]" * 50,
            '{"a":' * 70 + "1" + "}" * 70,
            '"' + "\\u0000" * 1000 + '"',
            '{"subject": "\\ud800"}',
            "\x00",
            '{"issue_type": "phone"} trailing',
        ]
    )
)
def test_check_json_never_raises_on_any_text(text):
    data = json.loads(check_json(text, NOW_ISO))
    assert list(data) == RESULT_KEYS
    for finding in data["errors"]:
        assert finding["code"] in CODES


def test_deep_nesting_is_judged_not_fatal():
    assert [e.code for e in check(deep(5000), now=NOW).errors] == ["not_an_object"]
    result = check({"issue_type": "phone", "subject": deep(5000)}, now=NOW)
    assert_shape(result)
    assert ("subject", "type") in [(e.field, e.code) for e in result.errors]
    result = json.loads(check_json("[" * 100_000 + "]" * 100_000, NOW_ISO))
    assert [e["code"] for e in result["errors"]] == ["not_json"]
    assert "line 1, column 65" in result["errors"][0]["message"]


def test_non_standard_json_constants_are_not_json():
    for text, column in [("NaN", 1), ('{"subject": -Infinity}', 13), ('["NaN", Infinity]', 9)]:
        result = json.loads(check_json(text, NOW_ISO))
        assert [e["code"] for e in result["errors"]] == ["not_json"]
        assert f"column {column} " in result["errors"][0]["message"]


def test_huge_numbers_are_a_type_error_not_a_crash():
    result = json.loads(
        check_json('{"issue_type": "phone", "subject": ' + "9" * 5000 + "}", NOW_ISO)
    )
    assert ["subject", "type"] in [[e["field"], e["code"]] for e in result["errors"]]
    result = check({"issue_type": "phone", "subject": 10**5000, "priority": -(10**5000)}, now=NOW)
    assert [(e.field, e.code) for e in result.errors][:2] == [
        ("subject", "type"),
        ("priority", "type"),
    ]


ZONES = st.sampled_from(
    ["UTC", "+14:00", "-12:00", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati"]
)
WALL_TIMES = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))


@FUZZ
@given(WALL_TIMES, st.sampled_from(["", "Z", "+23:59", "-23:59"]), ZONES)
def test_any_real_time_in_any_zone_is_judged_and_states_an_offset(wall, offset, zone):
    draft = load_fixture("other/valid/typical")
    draft["occurred_at"] = wall.isoformat(timespec="seconds") + offset
    result = json.loads(check_json(json.dumps(draft), "9999-12-31T23:59:59-23:59", zone))
    assert list(result) == RESULT_KEYS
    assert result["valid"], result["errors"]  # at the end of time, every time is in the past
    stated = re.compile(r"Time of occurrence: .* \(UTC[+-][0-9]{2}:[0-9]{2}\)\n")
    assert stated.search(result["ticket_text"])


@FUZZ
@given(WALL_TIMES)
def test_the_machine_zone_never_fails_on_a_real_time(wall):
    draft = load_fixture("other/valid/typical")
    draft["occurred_at"] = wall.isoformat(timespec="minutes")
    assert_shape(check(draft, now=NOW, tz=SYSTEM_ZONE))


@FUZZ
@given(
    st.binary(max_size=200)
    | st.text(max_size=100).map(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8", "replace"))
)
def test_check_json_never_raises_on_any_bytes(data):
    result = json.loads(check_json(data, NOW_ISO))
    assert list(result) == RESULT_KEYS
    for finding in result["errors"]:
        assert finding["code"] in CODES
