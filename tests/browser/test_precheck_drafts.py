"""Drafts on the ticket pre-check are never lost: kept in this browser while typing, restored
with a notice, cleared only after confirming, and saved to / opened from the same JSON file
the command line checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cytrack_ticket import check_json

from .conftest import PageWatch
from .precheck_page import PrecheckPage, as_draft, complete_answers

pytestmark = pytest.mark.browser


def test_a_draft_is_kept_while_typing_and_restored_after_reload(
    page: Page, watch: PageWatch, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    restored = page.locator("#precheck-restored")
    expect(restored).to_be_hidden()
    precheck.set("subject", "Phones dead since 02:10")
    precheck.set("extension", "2041")
    precheck.set("after_hours", "yes")
    precheck.set("callback_phone", "07700 900123")
    precheck.wait_until_saved("callback_phone")
    page.reload()

    expect(restored).to_be_visible()
    expect(restored).to_contain_text("We restored your draft from")
    expect(restored.locator("time")).to_be_visible()
    assert precheck.value("issue_type") == "phone"
    assert precheck.value("subject") == "Phones dead since 02:10"
    assert precheck.value("extension") == "2041"
    assert precheck.value("after_hours") == "yes"
    assert precheck.value("callback_phone") == "07700 900123"
    expect(page.locator("[data-kb-after-hours]")).to_be_visible()
    assert watch.off_origin == []


def test_the_last_keystrokes_are_kept_when_the_page_is_left_at_once(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=dashboard", ready=False)
    precheck.control("subject").press_sequentially("Reports empty")
    page.reload()  # within the moment the page waits before saving
    expect(page.locator("#precheck-restored")).to_be_visible()
    assert precheck.value("subject") == "Reports empty"


def test_clearing_the_draft_asks_first_then_empties_the_form_and_the_browser(
    page: Page, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=other", ready=False)
    precheck.set("subject", "Reports are empty")
    precheck.wait_until_saved("subject")
    clear = page.get_by_role("button", name="Clear draft", exact=True).last
    confirm = page.locator("#precheck-clear-confirm")

    clear.click()
    expect(confirm).to_be_visible()
    expect(clear).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="No, keep it").click()
    expect(confirm).to_be_hidden()
    expect(clear).to_be_focused()
    assert precheck.value("subject") == "Reports are empty"

    clear.click()
    page.get_by_role("button", name="Yes, clear the draft").click()
    assert precheck.value("subject") == ""
    assert precheck.value("issue_type") == ""
    expect(precheck.file_status).to_have_text("Your draft was cleared.")
    assert not any("Reports are empty" in item for item in precheck.stored())
    page.reload()
    expect(page.locator("#precheck-restored")).to_be_hidden()
    assert precheck.value("subject") == ""


def test_the_restored_notice_offers_to_clear_the_draft(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    precheck.set("issue_type", "dashboard")
    precheck.wait_until_saved("issue_type")
    page.reload()
    page.locator("#precheck-restored").get_by_role("button", name="Clear draft").click()
    page.get_by_role("button", name="Yes, clear the draft").click()
    assert precheck.value("issue_type") == ""
    expect(page.locator("#precheck-restored")).to_be_hidden()


def test_a_saved_draft_file_is_the_json_the_command_line_checks_and_opens_again(
    page: Page, watch: PageWatch, site_url: str, tmp_path: Path
):
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers("phone", after_hours=True)
    precheck.fill(answers)
    precheck.check()
    expect(precheck.result).to_be_visible()
    ticket_text = precheck.ticket_text.input_value()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save draft as file").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ticket-draft-phone-")
    assert download.suggested_filename.endswith(".json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    draft = json.loads(saved.read_text(encoding="utf-8"))
    assert draft == as_draft(answers)
    assert json.loads(check_json(saved.read_text(encoding="utf-8")))["valid"] is True

    page.get_by_role("button", name="Clear draft").click()
    page.get_by_role("button", name="Yes, clear the draft").click()
    assert precheck.value("subject") == ""

    page.locator("#precheck-open-file").set_input_files(saved)
    expect(precheck.file_status).to_contain_text(f"Opened {saved.name}.")
    for key, value in answers.items():
        assert precheck.value(key) == value, key
    precheck.check()
    expect(precheck.result).to_be_visible()
    assert precheck.ticket_text.input_value() == ticket_text
    assert watch.off_origin == []
    assert watch.console_errors == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(b'{"issue_type": "phone",', "it is not valid JSON", id="not-json"),
        pytest.param(b'["phone"]', "it holds a list, not a ticket draft", id="list"),
        pytest.param(b"42", "it holds a number, not a ticket draft", id="number"),
        pytest.param(b"null", "it holds null, not a ticket draft", id="null"),
        pytest.param(
            b"\xff\xfe\x00garbage",
            "Save the draft as UTF-8 text: it is saved as UTF-16 (little-endian)",
            id="binary",
        ),
    ],
)
def test_a_file_that_is_not_a_draft_is_refused_and_nothing_typed_is_lost(
    page: Page, site_url: str, content: bytes, problem: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.set("subject", "Typed before opening")
    page.locator("#precheck-open-file").set_input_files(
        files=[{"name": "draft.json", "mimeType": "application/json", "buffer": content}]
    )
    expect(precheck.file_status).to_contain_text(f"draft.json was not opened: {problem}")
    expect(precheck.file_status).to_contain_text("Your answers in the form have not changed.")
    assert precheck.value("subject") == "Typed before opening"
    assert precheck.value("issue_type") == "phone"


def test_a_refused_file_is_shown_as_an_error_only_until_the_next_file_action(
    page: Page, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    page.locator("#precheck-open-file").set_input_files(
        files=[{"name": "draft.json", "mimeType": "application/json", "buffer": b"[1]"}]
    )
    error_class = re.compile(r"kb-precheck__file-status--error")
    expect(precheck.file_status).to_have_class(error_class)

    page.get_by_role("button", name="Save draft as file").click()
    expect(precheck.file_status).to_contain_text("Saved as ticket-draft-phone-")
    expect(precheck.file_status).not_to_have_class(error_class)


def test_an_opened_file_reports_what_the_form_cannot_hold(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open()
    precheck.set("issue_type", "phone")
    precheck.set("subject", "Typed before opening")
    draft = {
        "issue_type": "dashboard",
        "subject": "Reports are empty",
        "priority": "urgent",
        "after_hours": "maybe",
        "extension": "2041",
        "misspelt_feild": "x",
        "description": 42,
    }
    page.locator("#precheck-open-file").set_input_files(
        files=[
            {
                "name": "odd.json",
                "mimeType": "application/json",
                "buffer": json.dumps(draft).encode(),
            }
        ]
    )
    status = precheck.file_status
    expect(status).to_contain_text("Opened odd.json.")
    expect(status.locator("li")).to_have_count(5)
    expect(status).to_contain_text('priority "urgent" is not one of the choices')
    expect(status).to_contain_text('after_hours "maybe" is not true or false')
    expect(status).to_contain_text(
        'extension "2041" belongs to a Phone issue: it is kept in the form'
    )
    expect(status).to_contain_text('misspelt_feild "x" is not a question in this form')
    expect(status).to_contain_text("description 42 is a number, not text, so it was left out.")
    assert precheck.value("issue_type") == "dashboard"
    assert precheck.value("subject") == "Reports are empty"
    assert precheck.value("extension") == "2041"

    # Opening a file replaces the answers; Undo brings them back.
    status.get_by_role("button", name="Undo").click()
    assert precheck.value("issue_type") == "phone"
    assert precheck.value("subject") == "Typed before opening"
    assert precheck.value("extension") == ""
