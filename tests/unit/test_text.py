"""The ticket text layout (the golden files fix whole texts; these fix the rules)."""

from __future__ import annotations

import pytest

from cytrack_ticket import catalogue, check
from cytrack_ticket._text import format_occurred_at

from .conftest import NOW, load_fixture


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        pytest.param("2026-11-20T10:15", "2026-11-20 10:15", id="datetime-local"),
        pytest.param("2026-11-20T10:15:00", "2026-11-20 10:15", id="zero-seconds"),
        pytest.param("2026-11-20T10:15:30.5", "2026-11-20 10:15:30", id="seconds"),
        pytest.param("2026-11-20T10:15Z", "2026-11-20 10:15 UTC", id="utc"),
        pytest.param("2026-11-20T10:15+01:00", "2026-11-20 10:15 +01:00", id="plus"),
        pytest.param("2026-11-20T10:15-09:30", "2026-11-20 10:15 -09:30", id="minus"),
    ],
)
def test_time_of_occurrence_reads_unambiguously(written, shown):
    assert format_occurred_at(written) == shown


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
