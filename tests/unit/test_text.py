"""The ticket text layout (the golden files fix whole texts; these fix the rules)."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest

from cytrack_ticket import catalogue, check
from cytrack_ticket._text import format_occurred_at

from .conftest import NOW, load_fixture

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        pytest.param("2026-11-20T10:15", "2026-11-20 10:15 (UTC+00:00)", id="datetime-local"),
        pytest.param("2026-11-20T10:15:00", "2026-11-20 10:15 (UTC+00:00)", id="zero-seconds"),
        pytest.param("2026-11-20T10:15:30.5", "2026-11-20 10:15:30 (UTC+00:00)", id="seconds"),
        pytest.param("2026-11-20T10:15Z", "2026-11-20 10:15 (UTC+00:00)", id="utc"),
        pytest.param("2026-11-20t10:15z", "2026-11-20 10:15 (UTC+00:00)", id="lowercase"),
        pytest.param("2026-11-20T10:15+01:00", "2026-11-20 10:15 (UTC+01:00)", id="plus"),
        pytest.param("2026-11-20T10:15-09:30", "2026-11-20 10:15 (UTC-09:30)", id="minus"),
    ],
)
def test_time_of_occurrence_reads_unambiguously(written, shown):
    assert format_occurred_at(written, UTC) == shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        pytest.param("2026-11-20T10:15", "2026-11-20 10:15 (UTC-05:00)", id="winter"),
        pytest.param("2026-07-01T10:15", "2026-07-01 10:15 (UTC-04:00)", id="summer"),
        # The clock jumps from 02:00 to 03:00 and goes back from 02:00 to 01:00: the offset in
        # force before the change, as a browser resolves such a time.
        pytest.param("2026-03-08T02:30", "2026-03-08 02:30 (UTC-05:00)", id="skipped-hour"),
        pytest.param("2026-11-01T01:30", "2026-11-01 01:30 (UTC-04:00)", id="repeated-hour"),
        pytest.param("2026-07-01T10:15+01:00", "2026-07-01 10:15 (UTC+01:00)", id="written"),
    ],
)
def test_a_time_without_offset_states_the_offset_its_zone_has_on_that_day(written, shown):
    assert format_occurred_at(written, NEW_YORK) == shown


@pytest.mark.parametrize("issue_type", ["phone", "dashboard", "other"])
def test_checklist_fields_come_in_seed_order_labelled_with_schema_titles(issue_type):
    draft = load_fixture(
        f"{issue_type}/valid/{'typical' if issue_type != 'phone' else 'after-hours'}"
    )
    text = check(draft, now=NOW).ticket_text
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == f"Subject: {draft['subject']}"
    titles = [item.title for item in catalogue.checklist(issue_type)]
    positions = [
        next(i for i, line in enumerate(lines) if line.startswith(f"{t}:")) for t in titles
    ]
    assert positions == sorted(positions)
    assert lines[-2].startswith("Priority: ")
    assert lines[-1] in ("After Hours Support Request: Yes", "After Hours Support Request: No")


def test_after_hours_settings_are_spelled_out():
    text = check(load_fixture("phone/valid/after-hours"), now=NOW).ticket_text
    assert text is not None
    assert text.endswith("Priority: Critical\nAfter Hours Support Request: Yes")
    assert "Cytrack Support TeamViewer connection available: Yes" in text
    assert "Callback phone number: +44 7700 900123" in text


def test_multi_line_values_are_indented_and_keep_blank_lines():
    draft = load_fixture("phone/valid/business-hours")
    draft["steps_taken"] = "  \nFirst step.   \r\n\r\nSecond step.\rThird step.\n\n"
    text = check(draft, now=NOW).ticket_text
    assert text is not None
    block = (
        "Steps taken to try to resolve the issue:\n"
        "    First step.\n\n    Second step.\n    Third step.\n"
        "Detailed description"
    )
    assert block in text


def test_no_ticket_text_for_an_invalid_draft():
    assert check({"issue_type": "phone"}, now=NOW).ticket_text is None


def test_the_parts_are_the_text_split_as_the_portal_takes_it():
    result = check(load_fixture("phone/valid/after-hours"), now=NOW)
    assert result.ticket_text is not None and result.ticket_parts is not None
    parts = dict(result.ticket_parts)
    assert list(parts) == ["subject", "description", "priority", "after_hours"]
    assert parts["subject"] == "No agent can log in to CyTrack since 02:10"
    assert result.ticket_text == f"Subject: {parts['subject']}\n{parts['description']}"
    assert parts["description"].startswith("Type of issue: Phone issue\n\n")
    assert (parts["priority"], parts["after_hours"]) == ("Critical", "Yes")


def test_the_zone_decides_the_offset_and_the_business_hours_stay_on_the_wall_clock(
    business_hours_set,
):
    draft = load_fixture("phone/valid/critical-outside-business-hours")  # 02:10 on a Thursday
    later = NOW + timedelta(hours=12)
    in_utc = check(draft, now=later, tz=UTC)
    in_new_york = check(draft, now=later, tz=NEW_YORK)
    assert "Time of occurrence: 2026-11-26 02:10 (UTC+00:00)" in (in_utc.ticket_text or "")
    assert "Time of occurrence: 2026-11-26 02:10 (UTC-05:00)" in (in_new_york.ticket_text or "")
    assert [w.code for w in in_utc.warnings] == ["outside_business_hours"]
    assert [w.code for w in in_new_york.warnings] == ["outside_business_hours"]


def test_the_zone_decides_whether_a_time_is_in_the_future():
    draft = load_fixture("phone/valid/critical-outside-business-hours")  # 02:10, now 03:00 UTC
    assert check(draft, now=NOW, tz=UTC).valid
    errors = check(draft, now=NOW, tz=NEW_YORK).errors  # 07:10 UTC
    assert [(e.field, e.code) for e in errors] == [("occurred_at", "in_future")]
