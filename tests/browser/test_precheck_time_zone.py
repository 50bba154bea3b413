"""The time of occurrence and its zone in the pre-check: the ticket text states the UTC offset
the browser's zone has at that time; an offset written in a draft file is kept, shown in the
time-zone list and stated as written, exactly as the command line states it; and every time the
command line accepts survives opening and saving the file unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import PageWatch
from .precheck_page import PrecheckPage, complete_answers

pytestmark = pytest.mark.browser

CLI = Path(sys.executable).with_name("cytrack-ticket")


def days_ago(days: int, clock: str = "10:15") -> str:
    """A datetime-local value some days back, well clear of "now" in every zone."""
    return f"{(datetime.now() - timedelta(days=days)).date().isoformat()}T{clock}"


def open_draft(page: Page, draft: dict[str, object], name: str = "draft.json") -> None:
    PrecheckPage(page, "").wait_until_enhanced()
    page.locator("#precheck-open-file").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": json.dumps(draft).encode()}]
    )


def saved_draft(page: Page, tmp_path: Path) -> dict[str, object]:
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save draft as file").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def cli_render(draft: dict[str, object], zone: str, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "cli-draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "render", "--tz", zone, *args, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.removesuffix("\n")


@pytest.mark.parametrize(
    ("zone", "occurred_at", "stated"),
    [
        pytest.param("Europe/London", "2026-07-01T10:15", "(UTC+01:00)", id="london-summer"),
        pytest.param("Europe/London", "2026-11-20T10:15", "(UTC+00:00)", id="london-winter"),
        pytest.param("America/New_York", "2026-11-20T10:15", "(UTC-05:00)", id="new-york"),
        pytest.param("Asia/Kolkata", "2026-11-20T10:15", "(UTC+05:30)", id="kolkata"),
    ],
)
def test_the_ticket_states_the_offset_the_browsers_zone_has_at_that_time(
    page_in_zone: Callable[..., Page],
    watch: PageWatch,
    site_url: str,
    tmp_path: Path,
    zone: str,
    occurred_at: str,
    stated: str,
):
    page = page_in_zone(zone)
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers("phone")
    answers["occurred_at"] = occurred_at
    precheck.fill(answers)
    precheck.check()
    expect(precheck.result).to_be_visible()
    date, clock = occurred_at.split("T")
    text = precheck.ticket_text.input_value()
    assert f"Time of occurrence: {date} {clock} {stated}\n" in text
    # The command line in the same zone writes the same text.
    draft = saved_draft(page, tmp_path)
    assert text == cli_render(draft, zone, tmp_path)
    # The list beside the time says which offset "your time zone" is on that date.
    local = page.locator("#precheck-occurred_at-zone option[value='']")
    expect(local).to_have_text(f"Your time zone {stated}")
    assert watch.off_origin == [] and watch.console_errors == []


def test_a_draft_with_an_offset_reads_the_same_in_the_browser_and_on_the_command_line(
    page_in_zone: Callable[..., Page], site_url: str, tmp_path: Path
):
    page = page_in_zone("America/New_York")
    precheck = PrecheckPage(page, site_url).open()
    draft = {
        key: value
        for key, value in json.loads(json.dumps(complete_answers("dashboard"))).items()
        if key != "after_hours"
    } | {"after_hours": False, "occurred_at": "2026-11-25T14:05:30+01:00"}
    open_draft(page, draft)
    expect(precheck.file_status).to_contain_text("Opened draft.json.")
    expect(precheck.file_status.locator("li")).to_have_count(0)
    expect(page.locator("#precheck-occurred_at-zone")).to_have_value("+01:00")
    precheck.check()
    expect(precheck.result).to_be_visible()
    text = precheck.ticket_text.input_value()
    assert "Time of occurrence: 2026-11-25 14:05:30 (UTC+01:00)\n" in text
    assert text == cli_render(draft, "America/New_York", tmp_path)


# Every way of writing a time that the command line accepts.
ACCEPTED = [
    pytest.param("2026-11-20T10:15", "", id="datetime-local"),
    pytest.param("2026-11-20T10:15:00", "", id="zero-seconds"),
    pytest.param("2026-11-20T10:15:30", "", id="seconds"),
    pytest.param("2026-11-20T10:15:30.250", "", id="milliseconds"),
    pytest.param("2026-11-20T10:15:30.123456789", "", id="nanoseconds"),
    pytest.param("2026-11-20t10:15", "", id="lowercase-t"),
    pytest.param("2026-11-20 10:15", "", id="space"),
    pytest.param("2026-11-20T10:15Z", "Z", id="z"),
    pytest.param("2026-11-20T10:15z", "Z", id="lowercase-z"),
    pytest.param("2026-11-20T10:15+00:00", "Z", id="plus-zero"),
    pytest.param("2026-11-20T10:15-00:00", "Z", id="minus-zero"),
    pytest.param("2026-11-20T10:15+01:00", "+01:00", id="plus-one"),
    pytest.param("2026-11-20T10:15:30.5-09:30", "-09:30", id="fraction-and-offset"),
    pytest.param("2026-11-20T10:15+05:17", "+05:17", id="unlisted-offset"),
    pytest.param("2026-11-20T10:15+23:59", "+23:59", id="largest-offset"),
]


@pytest.mark.parametrize(("occurred_at", "zone_choice"), ACCEPTED)
def test_a_time_the_command_line_accepts_survives_opening_and_saving_unchanged(
    page: Page, site_url: str, tmp_path: Path, occurred_at: str, zone_choice: str
):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    draft = {"issue_type": "phone", "subject": "Phones down", "occurred_at": occurred_at}
    open_draft(page, draft)
    expect(precheck.file_status).to_contain_text("Opened draft.json.")
    expect(precheck.file_status.locator("li")).to_have_count(0)  # nothing changed, nothing left
    assert precheck.value("occurred_at") != ""
    expect(page.locator("#precheck-occurred_at-zone")).to_have_value(zone_choice)
    assert saved_draft(page, tmp_path) == draft


def test_an_opened_time_is_kept_as_written_across_a_reload(
    page: Page, site_url: str, tmp_path: Path
):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    draft = {"issue_type": "other", "occurred_at": "2026-11-20t10:15:00.000001z"}
    open_draft(page, draft)
    precheck.wait_until_saved("occurred_at")
    page.reload()
    expect(page.locator("#precheck-restored")).to_be_visible()
    assert saved_draft(page, tmp_path) == draft


def test_changing_the_time_or_its_zone_replaces_the_time_as_written(
    page: Page, site_url: str, tmp_path: Path
):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    open_draft(page, {"issue_type": "other", "occurred_at": "2026-11-20t10:15:00z"})
    page.locator("#precheck-occurred_at-zone").select_option("+02:00")
    assert saved_draft(page, tmp_path)["occurred_at"] == "2026-11-20T10:15+02:00"
    precheck.set("occurred_at", "2026-11-21T08:00")
    assert saved_draft(page, tmp_path)["occurred_at"] == "2026-11-21T08:00+02:00"
    page.locator("#precheck-occurred_at-zone").select_option("")
    assert saved_draft(page, tmp_path)["occurred_at"] == "2026-11-21T08:00"


@pytest.mark.parametrize(
    "occurred_at",
    [
        pytest.param("2026-02-30T10:00", id="february-30"),
        pytest.param("2026-11-20T24:00", id="24-00"),
        pytest.param("2026-11-20T10:15+24:00", id="offset-24h"),
        pytest.param("yesterday at ten", id="words"),
    ],
)
def test_a_time_the_form_cannot_show_is_listed_not_silently_dropped(
    page: Page, site_url: str, occurred_at: str
):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    precheck.set("issue_type", "phone")
    open_draft(page, {"issue_type": "phone", "occurred_at": occurred_at})
    note = precheck.file_status.locator("li")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(f"occurred_at {json.dumps(occurred_at)} is not a real date")
    assert precheck.value("occurred_at") == ""
