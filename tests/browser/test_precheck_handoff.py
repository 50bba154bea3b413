"""The finished ticket handed over as the portal takes it: each part (Subject, Description, and
the Priority and After Hours Support Request values to choose) with its own Copy button that
puts exactly that part on the clipboard, the same parts the engine's result carries and
`cytrack-ticket render --part` prints; and "Copy all"."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from cytrack_ticket import catalogue, check_json

from .precheck_page import PrecheckPage, as_draft, complete_answers

pytestmark = pytest.mark.browser

ZONE = "Europe/Berlin"
CLIPBOARD = ("clipboard-read", "clipboard-write")


def ready_ticket(page: Page, site_url: str) -> tuple[PrecheckPage, dict[str, str]]:
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers("phone", after_hours=True)
    answers["occurred_at"] = f"{(datetime.now() - timedelta(days=2)).date()}T02:10"
    precheck.fill(answers)
    precheck.check()
    expect(precheck.result).to_be_visible()
    return precheck, answers


def expected_parts(answers: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The ticket text and parts the engine on CPython gives for these answers in ZONE."""
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    result = json.loads(check_json(json.dumps(as_draft(answers)), now, ZONE))
    assert result["valid"], result["errors"]
    return result["ticket_text"], result["ticket_parts"]


def test_each_part_is_shown_apart_with_its_portal_label(
    page_in_zone: Callable[..., Page], site_url: str
):
    page = page_in_zone(ZONE)
    _precheck, answers = ready_ticket(page, site_url)
    text, parts = expected_parts(answers)
    fields = catalogue.portal_fields()
    assert [field.part for field in fields] == list(parts)
    for field in fields:
        block = page.locator(f"[data-kb-portal-field='{field.part}']")
        expect(block.locator(".kb-label")).to_have_text(field.label)
        shown = page.locator(f"#precheck-part-{field.part}")
        if field.choose:
            expect(shown).to_have_text(parts[field.part])
            expect(block).to_contain_text(f"Choose {parts[field.part]} in the portal's")
        else:
            expect(shown).to_have_value(parts[field.part])
            expect(shown).to_have_attribute("readonly", "")
    assert parts["subject"] == answers["subject"]
    assert text == f"Subject: {parts['subject']}\n{parts['description']}"
    assert (parts["priority"], parts["after_hours"]) == ("Critical", "Yes")
    # The portal's step 5 names the same values.
    expect(page.locator("#precheck-steps li").nth(4)).to_contain_text(
        "Set Priority to Critical and After Hours Support Request to Yes."
    )


@pytest.mark.parametrize("part", [pytest.param(part, id=part) for part in catalogue.ticket_parts()])
def test_each_copy_button_puts_exactly_its_part_on_the_clipboard(
    page_in_zone: Callable[..., Page], site_url: str, part: str
):
    page = page_in_zone(ZONE, permissions=CLIPBOARD)
    _precheck, answers = ready_ticket(page, site_url)
    _text, parts = expected_parts(answers)
    label = next(field.label for field in catalogue.portal_fields() if field.part == part)
    button = page.get_by_role("button", name=f"Copy {label}", exact=True)
    button.click()
    expect(button.locator("xpath=..").get_by_role("status")).to_contain_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == parts[part]


def test_copy_all_puts_the_text_of_every_part_on_the_clipboard(
    page_in_zone: Callable[..., Page], site_url: str
):
    page = page_in_zone(ZONE, permissions=CLIPBOARD)
    precheck, answers = ready_ticket(page, site_url)
    text, _parts = expected_parts(answers)
    page.get_by_role("button", name="Copy Subject", exact=True).click()
    page.get_by_role("button", name="Copy all", exact=True).click()
    assert page.evaluate("() => navigator.clipboard.readText()") == text
    assert precheck.ticket_text.input_value() == text
    # Only the last button used says "Copied".
    expect(page.locator(".kb-precheck__copy-status:not(:empty)")).to_have_count(1)


def test_without_clipboard_access_a_value_to_choose_is_selected_instead(page: Page, site_url: str):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get() {}})")
    ready_ticket(page, site_url)
    button = page.get_by_role("button", name="Copy Priority", exact=True)
    button.click()
    expect(button.locator("xpath=..").get_by_role("status")).to_contain_text("The text is selected")
    assert page.evaluate("() => String(window.getSelection())") == "Critical"
