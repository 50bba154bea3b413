"""Every rule of issue #2, one table row per case, on drafts built from valid ones."""

from __future__ import annotations

from typing import Any

import pytest

from cytrack_ticket import catalogue, check

from .conftest import NOW, load_fixture

PHONE = load_fixture("phone/valid/business-hours")
PHONE_AH = load_fixture("phone/valid/after-hours")
DASHBOARD = load_fixture("dashboard/valid/typical")
OTHER = load_fixture("other/valid/typical")
MISSING = object()


def edit(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    draft = dict(base)
    for key, value in changes.items():
        if value is MISSING:
            draft.pop(key, None)
        else:
            draft[key] = value
    return draft


def pairs(findings) -> list[tuple[str | None, str]]:
    return [(finding.field, finding.code) for finding in findings]


@pytest.mark.parametrize(
    ("draft", "errors"),
    [
        pytest.param(edit(PHONE, subject=MISSING), [("subject", "required")], id="missing"),
        pytest.param(edit(PHONE, subject=""), [("subject", "required")], id="empty"),
        pytest.param(edit(PHONE, subject=" \n\t "), [("subject", "required")], id="whitespace"),
        pytest.param(edit(PHONE, extension=""), [("extension", "required")], id="blank-phone"),
        pytest.param(edit(PHONE, priority=""), [("priority", "required")], id="blank-enum"),
        pytest.param(edit(PHONE, occurred_at=" "), [("occurred_at", "required")], id="blank-date"),
        pytest.param(edit(PHONE, agent_name=MISSING), [("agent_name", "required")], id="phone"),
        pytest.param(edit(PHONE, recent_changes=""), [("recent_changes", "required")], id="none"),
        pytest.param(
            edit(DASHBOARD, missing_information=MISSING),
            [("missing_information", "required")],
            id="dashboard",
        ),
        pytest.param(edit(OTHER, affected="  "), [("affected", "required")], id="other"),
    ],
)
def test_missing_or_blank_field_is_required(draft, errors):
    assert pairs(check(draft, now=NOW).errors) == errors


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        pytest.param({"subject": 5}, [("subject", "type")], id="number-for-text"),
        pytest.param({"subject": ["a"]}, [("subject", "type")], id="list-for-text"),
        pytest.param({"subject": None}, [("subject", "type")], id="null-for-text"),
        pytest.param({"after_hours": "no"}, [("after_hours", "type")], id="text-for-boolean"),
        pytest.param({"after_hours": 0}, [("after_hours", "type")], id="zero-for-boolean"),
        pytest.param({"priority": True}, [("priority", "type")], id="boolean-for-enum"),
        pytest.param({"priority": "Critical"}, [("priority", "enum")], id="enum-case"),
        pytest.param({"priority": "urgent"}, [("priority", "enum")], id="enum-unknown"),
        pytest.param({"issue_type": "Phone"}, [("issue_type", "enum")], id="issue-type-case"),
        pytest.param({"issue_type": 1}, [("issue_type", "type")], id="issue-type-number"),
    ],
)
def test_wrong_type_or_value(changes, errors):
    assert pairs(check(edit(PHONE, **changes), now=NOW).errors) == errors


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        pytest.param("extension", "12", True, id="ext-2-digits"),
        pytest.param("extension", "1", False, id="ext-1-digit"),
        pytest.param("extension", "+44 (0)113 496-0000", True, id="ext-full-number"),
        pytest.param("extension", "x4021", False, id="ext-letter"),
        pytest.param("extension", "4021 ", True, id="ext-trailing-space"),
        pytest.param("extension", "٤٠٢١", False, id="ext-arabic-indic-digits"),
        pytest.param("extension", "40\n21", False, id="ext-newline"),
        pytest.param("callback_phone", "07700 900123", True, id="callback-11-digits"),
        pytest.param("callback_phone", "123456", True, id="callback-6-digits"),
        pytest.param("callback_phone", "12345", False, id="callback-5-digits"),
        pytest.param("callback_phone", "+1.555.0100", True, id="callback-dots"),
        pytest.param("callback_phone", "call me", False, id="callback-words"),
    ],
)
def test_phone_numbers_must_be_phone_like(key, value, ok):
    errors = pairs(check(edit(PHONE_AH, **{key: value}), now=NOW).errors)
    assert errors == ([] if ok else [(key, "phone_format")])


@pytest.mark.parametrize(
    ("occurred_at", "code"),
    [
        pytest.param("2026-02-30T10:00", "not_a_date_time", id="february-30"),
        pytest.param("2026-11-25T24:00", "not_a_date_time", id="24-00"),
        pytest.param("2026-11-25", "not_a_date_time", id="date-only"),
        pytest.param("25/11/2026 10:15", "not_a_date_time", id="local-notation"),
        pytest.param("yesterday", "not_a_date_time", id="words"),
        pytest.param("2026-11-26T03:05", None, id="5-minutes-ahead-is-tolerated"),
        pytest.param("2026-11-26T03:05:01", "in_future", id="5-minutes-1-second-ahead"),
        pytest.param("2026-11-27T03:00", "in_future", id="tomorrow"),
        pytest.param("2026-11-26T04:05+01:00", None, id="offset-same-instant-tolerated"),
        pytest.param("2026-11-26T03:06Z", "in_future", id="utc-ahead"),
        pytest.param("2026-11-25T23:00-05:00", "in_future", id="negative-offset-ahead"),
    ],
)
def test_time_of_occurrence_must_be_real_and_not_in_the_future(occurred_at, code):
    errors = pairs(check(edit(PHONE_AH, occurred_at=occurred_at), now=NOW).errors)
    assert errors == ([] if code is None else [("occurred_at", code)])


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        pytest.param({"priority": "high"}, [("priority", "after_hours_priority")], id="high"),
        pytest.param({"priority": "low"}, [("priority", "after_hours_priority")], id="low"),
        pytest.param({"priority": "urgent"}, [("priority", "after_hours_priority")], id="unknown"),
        pytest.param({"priority": MISSING}, [("priority", "required")], id="missing-priority"),
        pytest.param(
            {"remote_access_ready": False},
            [("remote_access_ready", "remote_access_required")],
            id="no-remote-access",
        ),
        pytest.param(
            {"charges_acknowledged": False},
            [("charges_acknowledged", "charges_required")],
            id="charges-refused",
        ),
        pytest.param(
            {"charges_acknowledged": "yes"}, [("charges_acknowledged", "type")], id="charges-text"
        ),
        pytest.param({"contact_name": "  "}, [("contact_name", "required")], id="blank-contact"),
        pytest.param({"providers_checked": "maybe"}, [("providers_checked", "enum")], id="enum"),
    ],
)
def test_after_hours_request_needs_critical_remote_access_and_charges(changes, errors):
    assert pairs(check(edit(PHONE_AH, **changes), now=NOW).errors) == errors


def test_after_hours_fields_may_be_given_without_after_hours():
    draft = {**PHONE, **{k: PHONE_AH[k] for k in ("contact_name", "callback_phone")}}
    draft.update(remote_access_ready=False, charges_acknowledged=False, providers_checked="yes")
    result = check(draft, now=NOW)
    assert result.valid, result.errors


def test_after_hours_priority_message_says_critical_and_yes():
    (error,) = check(edit(PHONE_AH, priority="high"), now=NOW).errors
    assert error.message.startswith("Set Priority to Critical")
    assert "Critical and After Hours Support Request is Yes" in error.message


@pytest.mark.parametrize(
    ("base", "extra", "errors"),
    [
        pytest.param(PHONE, {"extention": "1"}, [("extention", "unknown_field")], id="typo"),
        pytest.param(DASHBOARD, {"extension": "4021"}, [("extension", "unknown_field")], id="dash"),
        pytest.param(
            OTHER, {"missing_information": "x"}, [("missing_information", "unknown_field")],
            id="other",
        ),
        pytest.param(
            PHONE,
            {"zzz": 1, "Subject": "x", "": None},
            [("", "unknown_field"), ("Subject", "unknown_field"), ("zzz", "unknown_field")],
            id="several-sorted",
        ),
    ],
)  # fmt: skip
def test_keys_the_type_does_not_define_are_unknown(base, extra, errors):
    result = check({**base, **extra}, now=NOW)
    assert pairs(result.errors) == errors
    for error in result.errors:
        assert f'"{error.field}"' in error.message


@pytest.mark.parametrize(
    ("key", "length"),
    [
        pytest.param("subject", 150, id="subject"),
        pytest.param("agent_name", 120, id="agent"),
        pytest.param("extension", 40, id="extension"),
        pytest.param("steps_taken", 5000, id="steps"),
        pytest.param("description", 10000, id="description"),
        pytest.param("recent_changes", 5000, id="changes"),
    ],
)
def test_maximum_lengths(key, length):
    fill = "1" if key == "extension" else "a"
    at_limit = check(edit(PHONE, **{key: fill * length}), now=NOW)
    assert at_limit.valid, at_limit.errors
    over = check(edit(PHONE, **{key: fill * (length + 1)}), now=NOW)
    assert pairs(over.errors) == [(key, "too_long")]
    assert str(length) in over.errors[0].message


@pytest.mark.parametrize(
    "draft",
    [
        pytest.param([], id="array"),
        pytest.param("phone", id="string"),
        pytest.param(3, id="number"),
        pytest.param(2.5, id="float"),
        pytest.param(None, id="null"),
        pytest.param(False, id="boolean"),
    ],
)
def test_a_document_that_is_not_an_object(draft):
    result = check(draft, now=NOW)
    assert pairs(result.errors) == [(None, "not_an_object")]
    assert result.issue_type is None and result.ticket_text is None


def test_unknown_issue_type_still_judges_the_shared_fields():
    draft = edit(PHONE_AH, issue_type="printer", priority="high", subject="", extension="x")
    result = check(draft, now=NOW)
    assert result.issue_type is None
    # extension is phone-specific: without a known type it is neither judged nor unknown.
    assert pairs(result.errors) == [
        ("issue_type", "enum"),
        ("subject", "required"),
        ("priority", "after_hours_priority"),
    ]


@pytest.mark.parametrize(
    ("base", "changes", "warnings"),
    [
        pytest.param(
            PHONE_AH, {"providers_checked": "no"},
            [("providers_checked", "providers_not_checked")], id="providers-no",
        ),
        pytest.param(PHONE_AH, {"providers_checked": "not_applicable"}, [], id="providers-na"),
        pytest.param(
            PHONE, {"providers_checked": "no"},
            [("providers_checked", "providers_not_checked")], id="providers-no-not-after-hours",
        ),
        pytest.param(
            PHONE_AH, {"description": "The TAPI link to CyTrack dropped; calls are not logged."},
            [("description", "tapi_not_covered")], id="tapi",
        ),
        pytest.param(
            PHONE_AH, {"description": "Our Phone\n  System restarted and CyTrack lost all calls."},
            [("description", "tapi_not_covered")], id="phone-system-across-lines",
        ),
        pytest.param(
            PHONE_AH, {"description": "The CTI server is unreachable from CyTrack since 02:10."},
            [("description", "tapi_not_covered")], id="cti",
        ),
        pytest.param(
            PHONE_AH, {"description": "The practical test shows CyTrack dictionaries are lost."},
            [], id="cti-inside-a-word-is-not-cti",
        ),
        pytest.param(
            PHONE, {"description": "The TAPI link to CyTrack dropped; calls are not logged."},
            [], id="tapi-not-after-hours",
        ),
        pytest.param(
            DASHBOARD, {"description": "The TAPI feed stopped and the dashboard is empty now."},
            [], id="tapi-on-dashboard",
        ),
        pytest.param(PHONE, {"steps_taken": "N/A"}, [("steps_taken", "placeholder")], id="n/a"),
        pytest.param(PHONE, {"steps_taken": " asdf "}, [("steps_taken", "placeholder")], id="asdf"),
        pytest.param(PHONE, {"description": "test"}, [("description", "placeholder")], id="test"),
        pytest.param(
            PHONE, {"description": "a" * 14}, [("description", "placeholder")], id="14-chars",
        ),
        pytest.param(PHONE, {"description": "a" * 15}, [], id="15-chars"),
        pytest.param(PHONE, {"recent_changes": "None"}, [], id="none-is-a-valid-answer"),
        pytest.param(
            PHONE, {"occurred_at": "2026-10-27T02:59"}, [("occurred_at", "stale")], id="stale",
        ),
        pytest.param(PHONE, {"occurred_at": "2026-10-27T03:00"}, [], id="exactly-30-days"),
    ],
)  # fmt: skip
def test_warnings(base, changes, warnings):
    result = check(edit(base, **changes), now=NOW)
    assert result.valid, result.errors
    assert pairs(result.warnings) == warnings


# Business hours Monday to Friday, 09:00 to 17:00, as a site may set them.
BUSINESS_HOURS_CASES = [
        pytest.param(
            {"priority": "critical", "occurred_at": "2026-11-25T17:00"},
            [("after_hours", "outside_business_hours")], id="critical-at-closing-time",
        ),
        pytest.param(
            {"priority": "critical", "occurred_at": "2026-11-25T16:59"},
            [], id="critical-a-minute-before-closing",
        ),
        pytest.param(
            {"priority": "critical", "occurred_at": "2026-11-25T08:59"},
            [("after_hours", "outside_business_hours")], id="critical-before-opening",
        ),
        pytest.param(
            {"priority": "critical", "occurred_at": "2026-11-22T12:00"},
            [("after_hours", "outside_business_hours")], id="critical-on-sunday",
        ),
        pytest.param(
            # Wall-clock time as written: 10:00 at -08:00 is inside business hours there.
            {"priority": "critical", "occurred_at": "2026-11-25T10:00-08:00"},
            [], id="critical-wall-clock-with-offset",
        ),
        pytest.param(
            {"priority": "high", "occurred_at": "2026-11-26T02:00"}, [], id="high-at-night",
        ),
        pytest.param(
            {"priority": "critical", "after_hours": True, "occurred_at": "2026-11-26T02:00",
             **{key: PHONE_AH[key] for key in PHONE_AH if key not in PHONE}},
            [], id="critical-after-hours-request-at-night",
        ),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "warnings"), BUSINESS_HOURS_CASES)
def test_outside_business_hours_warns_once_the_site_sets_business_hours(
    business_hours_set, changes, warnings
):
    result = check(edit(PHONE, **changes), now=NOW)
    assert result.valid, result.errors
    assert pairs(result.warnings) == warnings
    for warning in result.warnings:
        assert "Mon\u2013Fri 09:00\u201317:00" in warning.message


@pytest.mark.parametrize(("changes", "warnings"), BUSINESS_HOURS_CASES)
def test_outside_business_hours_never_warns_while_business_hours_are_unset(changes, warnings):
    assert catalogue.settings().business_hours is None, "the shipped default is unset"
    result = check(edit(PHONE, **changes), now=NOW)
    assert result.valid, result.errors
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        pytest.param({"providers_checked": "No"}, [("providers_checked", "enum")], id="providers"),
        pytest.param({"steps_taken": "x" * 5001}, [("steps_taken", "too_long")], id="placeholder"),
        pytest.param(
            {"occurred_at": "2025-02-29T10:00", "priority": "critical", "after_hours": False},
            [("occurred_at", "not_a_date_time")],
            id="stale-and-business-hours",
        ),
        pytest.param(
            {"description": "TAPI " * 2001}, [("description", "too_long")], id="tapi-too-long"
        ),
    ],
)
def test_no_warnings_about_fields_with_errors(changes, errors):
    result = check(edit(PHONE_AH, **changes), now=NOW)
    assert pairs(result.errors) == errors
    assert result.warnings == ()


def test_warnings_never_make_a_draft_invalid():
    draft = edit(PHONE_AH, providers_checked="no", steps_taken="n/a", description="TAPI down")
    result = check(draft, now=NOW)
    assert result.valid and result.ticket_text
    assert [code for _field, code in pairs(result.warnings)] == [
        "placeholder", "placeholder", "tapi_not_covered", "providers_not_checked",
    ]  # fmt: skip


def test_one_error_per_field_first_by_precedence():
    result = check(edit(PHONE_AH, remote_access_ready="yes", priority=7), now=NOW)
    assert pairs(result.errors) == [("priority", "type"), ("remote_access_ready", "type")]


def test_messages_are_the_schemas_instructions():
    result = check(edit(PHONE, extension=MISSING), now=NOW)
    assert result.to_dict()["errors"] == [
        {"field": "extension", "code": "required", "message": "Enter the agent's extension"}
    ]


def test_placeholder_message_quotes_the_text():
    (warning,) = check(edit(PHONE, steps_taken="  n/a "), now=NOW).warnings
    assert '"n/a"' in warning.message


def test_naive_times_are_local_to_now():
    from datetime import timedelta, timezone

    east = NOW.astimezone(timezone(timedelta(hours=10)))  # 13:00 there
    draft = edit(PHONE_AH, occurred_at="2026-11-26T12:00")
    assert check(draft, now=east).valid
    assert pairs(check(draft, now=NOW).errors) == [("occurred_at", "in_future")]


def test_now_must_be_aware():
    from datetime import datetime

    with pytest.raises(ValueError, match="aware"):
        check(PHONE, now=datetime(2026, 11, 26, 3))


def test_default_now_is_the_local_time():
    assert check(edit(PHONE, occurred_at="2000-01-03T10:00")).warnings[0].code == "stale"


@pytest.mark.parametrize(
    ("base", "key", "value", "error"),
    [
        pytest.param(PHONE, "subject", "Calls lost \x1b[31m", "U+001B, character 12", id="esc"),
        pytest.param(PHONE, "subject", "Calls\x00lost", "U+0000, character 6", id="nul"),
        pytest.param(PHONE, "subject", "Calls lost\x7f", "U+007F, character 11", id="del"),
        pytest.param(PHONE, "subject", "Calls \x9b31m lost", "U+009B, character 7", id="c1-csi"),
        pytest.param(PHONE, "agent_name", "Priya\r\nShah", "U+000D, character 6", id="crlf"),
        pytest.param(PHONE, "agent_name", "Priya\nShah", "U+000A, character 6", id="lf"),
        pytest.param(PHONE, "agent_name", "Priya\tShah", "U+0009, character 6", id="tab"),
        pytest.param(PHONE, "extension", "4021\n", "U+000A, character 5", id="phone-newline"),
        pytest.param(PHONE, "description", "Total 100\u202e00.01", "U+202E", id="rlo"),
        pytest.param(PHONE, "description", "a\u2066b\u2069 is isolated", "U+2066", id="isolate"),
        pytest.param(PHONE, "description", "zero\u200bwidth space", "U+200B", id="zwsp"),
        pytest.param(PHONE, "description", "a\u200db joined", "U+200D", id="lone-joiner"),
        pytest.param(PHONE, "description", "right\u200fmark here", "U+200F", id="rlm"),
        pytest.param(PHONE, "description", "word\u2060joiner", "U+2060", id="word-joiner"),
        pytest.param(PHONE, "description", "no\ufeffbreak", "U+FEFF", id="zwnbsp"),
        pytest.param(PHONE, "description", "line\u2028separator", "U+2028", id="line-sep"),
        pytest.param(PHONE, "description", "form\x0cfeed", "U+000C", id="form-feed"),
        pytest.param(PHONE, "steps_taken", "Restarted\x1b[8m hidden", "U+001B", id="steps"),
        pytest.param(PHONE, "recent_changes", "None\x00", "U+0000", id="changes"),
        pytest.param(PHONE_AH, "contact_name", "Sam\u202ePatel", "U+202E", id="contact"),
        pytest.param(PHONE_AH, "callback_phone", "07700 900123\n", "U+000A", id="callback"),
        pytest.param(DASHBOARD, "missing_information", "Calls\x08 report", "U+0008", id="dash"),
        pytest.param(OTHER, "affected", "Leeds\u202a site", "U+202A", id="affected"),
    ],
)
def test_hidden_control_characters_are_an_error_on_their_field(base, key, value, error):
    result = check(edit(base, **{key: value}), now=NOW)
    assert pairs(result.errors) == [(key, "control_character")]
    message = result.errors[0].message
    assert message.startswith(("Remove the hidden control characters from ", "Remove the line "))
    assert error in message
    assert result.ticket_text is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("description", "Line one\nLine two\r\nLine three\rfour", id="line-breaks"),
        pytest.param("description", "\tIndented with a tab", id="tab"),
        pytest.param("subject", "\U0001f469\u200d\U0001f4bb cannot log in", id="zwj-emoji"),
        pytest.param("subject", "\u2764\ufe0f\u200d\U0001f525 heart on fire", id="zwj-vs16"),
        pytest.param("subject", "Zo\u00eb\u2019s client \u2014 日本語 محمد שלום", id="unicode"),
        pytest.param("subject", "e\u0301 combining acute", id="combining"),
        pytest.param("subject", "soft\u00adhyphen", id="soft-hyphen"),
    ],
)
def test_line_breaks_in_multi_line_answers_and_ordinary_unicode_are_fine(key, value):
    result = check(edit(PHONE, **{key: value}), now=NOW)
    assert result.valid, result.errors


def test_a_field_with_another_error_is_not_also_judged_for_control_characters():
    result = check(edit(PHONE, subject="\x1b" * 151), now=NOW)
    assert pairs(result.errors) == [("subject", "too_long")]


def test_control_characters_are_judged_without_a_known_type():
    result = check(edit(PHONE, issue_type="printer", subject="a\x1bb"), now=NOW)
    assert ("subject", "control_character") in pairs(result.errors)


def test_a_huge_unknown_key_is_named_cut_short():
    key = "k" * 10_000_000
    result = check(edit(PHONE, **{key: 1, key + "x": 2, "z" * 61: 3}), now=NOW)
    assert pairs(result.errors) == [
        ("k" * 59 + "…", "unknown_field"),
        ("z" * 59 + "…", "unknown_field"),
    ]
    assert all(len(finding.message) < 300 for finding in result.errors)
