"""Whatever a person types or opens on the pre-check is shown as text, never run as HTML or
script, and the page sends nothing off its own origin."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Dialog, Page, expect

from cytrack_ticket import catalogue

from .conftest import PageWatch
from .precheck_page import PrecheckPage, complete_answers

pytestmark = pytest.mark.browser

PAYLOAD = "\"'><img src=x id=xss-img onerror=alert(1)><script id=xss-script>alert(2)</script>"
SHORT_PAYLOAD = "<b id=xb>x</b>"  # short enough to be quoted back in a warning


def assert_nothing_injected(page: Page, dialogs: list[Dialog]) -> None:
    assert dialogs == []
    expect(page.locator("#xss-img, #xss-script, #xb, img[src='x']")).to_have_count(0)


def text_keys(issue_type: str) -> list[str]:
    return [
        field.key for field in catalogue.fields(issue_type) if field.widget in ("text", "textarea")
    ]


@pytest.mark.parametrize("issue_type", ["phone", "dashboard", "other"])
def test_markup_typed_into_every_field_is_shown_as_text(
    page: Page, watch: PageWatch, site_url: str, issue_type: str
):
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers(issue_type, after_hours=True)
    for key in text_keys(issue_type):
        answers[key] = f"{key} {PAYLOAD}"
    answers["steps_taken"] = SHORT_PAYLOAD
    # Not phone-like: an error whose message must not echo markup either.
    answers["callback_phone"] = PAYLOAD
    precheck.fill(answers)
    precheck.check()
    expect(precheck.summary).to_be_visible()
    assert_nothing_injected(page, dialogs)

    precheck.set("callback_phone", "+44 7700 900123")
    expect(precheck.result).to_be_visible()
    text = precheck.ticket_text.input_value()
    for key in text_keys(issue_type):
        if key != "steps_taken":
            assert f"{key} {PAYLOAD}" in text
    # The placeholder warning quotes what was typed: as text.
    expect(precheck.warnings).to_contain_text(f'"{SHORT_PAYLOAD}"')
    assert_nothing_injected(page, dialogs)
    assert watch.off_origin == []
    assert watch.console_errors == []


def test_markup_in_an_opened_file_is_shown_as_text(page: Page, site_url: str):
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    precheck = PrecheckPage(page, site_url).open()
    draft = {
        "issue_type": "phone",
        "subject": PAYLOAD,
        "agent_name": SHORT_PAYLOAD,
        PAYLOAD: PAYLOAD,
        "priority": PAYLOAD,
    }
    page.locator("#precheck-open-file").set_input_files(
        files=[
            {
                "name": f"{SHORT_PAYLOAD}.json",
                "mimeType": "application/json",
                "buffer": json.dumps(draft).encode(),
            }
        ]
    )
    expect(precheck.file_status).to_contain_text(f"Opened {SHORT_PAYLOAD}.json.")
    # A key is named cut to 60 characters, as the engine names it in its findings.
    shown_key = PAYLOAD if len(PAYLOAD) <= 60 else PAYLOAD[:59] + "…"
    expect(precheck.file_status.locator("code").first).to_have_text(shown_key)
    assert precheck.value("subject") == PAYLOAD
    assert precheck.value("agent_name") == SHORT_PAYLOAD
    precheck.check()
    expect(precheck.summary).to_be_visible()
    assert_nothing_injected(page, dialogs)

    page.locator("#precheck-open-file").set_input_files(
        files=[{"name": f"{PAYLOAD}.json", "mimeType": "application/json", "buffer": b"<html>"}]
    )
    expect(precheck.file_status).to_contain_text(f"{PAYLOAD}.json was not opened")
    assert_nothing_injected(page, dialogs)


def test_the_address_cannot_inject_markup(page: Page, site_url: str):
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    PrecheckPage(page, site_url).open(f"?type={PAYLOAD}")
    assert_nothing_injected(page, dialogs)
