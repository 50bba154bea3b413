"""Procedures suggested while the customer writes: found on this site (the index is fetched from
the same origin, and only once typing starts), updated as the text and the issue type change,
announced politely without taking the focus, axe-clean, reachable and followed with the
keyboard without losing the draft, never changed under the focus, and absent without
JavaScript."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kb_build import suggestions as kb_suggestions

from .conftest import PageWatch
from .precheck_page import PrecheckPage

pytestmark = pytest.mark.browser

INDEX = json.loads((kb_suggestions.ROOT / "docs" / kb_suggestions.OUTPUT_NAME).read_text("utf-8"))
TITLES = {entry["url"]: entry["title"] for entry in INDEX["procedures"]}
RESTART = TITLES["procedures/restart/"]
CHECKS = TITLES["procedures/check-phone-system-and-pc/"]
DASHBOARD = TITLES["procedures/dashboard-missing-data/"]


def links(page: Page):
    return page.locator("#precheck-suggestions a")


def test_suggestions_appear_and_follow_what_is_written(page: Page, watch: PageWatch, site_url: str):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    precheck = PrecheckPage(page, site_url).open("?type=dashboard", ready=False)
    precheck.wait_until_enhanced()
    region = page.locator("#precheck-suggestions")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(page.locator("#precheck-suggestions-panel")).to_be_hidden()
    lazy = ("/suggestions-index.json", "/suggest-rank.mjs")
    assert not any(url.endswith(lazy) for url in fetched), "loaded before anything was typed"

    subject = precheck.control("subject")
    subject.press_sequentially("wallboard blank since this morning")
    expect(links(page).first).to_have_text(DASHBOARD)
    expect(subject).to_be_focused()  # the suggestions never take the focus
    summary = next(e["summary"] for e in INDEX["procedures"] if e["title"] == DASHBOARD)
    expect(page.locator(".kb-precheck__suggestion").first).to_contain_text(summary)
    assert any(url.endswith("/assets/precheck/suggestions-index.json") for url in fetched)

    precheck.set("issue_type", "phone")
    subject.fill("")
    subject.press_sequentially("after the PBX engineer rebooted the switch, agents cannot log in")
    expect(links(page).first).to_have_text(RESTART)
    expect(links(page).first).to_have_attribute("href", "/procedures/restart/")
    expect(links(page)).to_have_count(1)

    # Text about nothing a procedure covers: the suggestions go away.
    subject.fill("invoice address change")
    expect(page.locator("#precheck-suggestions-panel")).to_be_hidden()
    assert watch.off_origin == []
    assert watch.console_errors == []


def test_the_issue_type_chosen_reorders_the_suggestions(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.wait_until_enhanced()
    precheck.control("subject").fill("calls not updating since the switch was fixed")
    expect(links(page).first).to_have_text(RESTART)
    # The restart guide applies to phone and dashboard issues, the checks to every type.
    precheck.set("issue_type", "other")
    expect(links(page).first).to_have_text(CHECKS)


def test_the_description_and_steps_taken_count_too(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.wait_until_enhanced()
    precheck.set(
        "description", "The Telephony service will not start and Event Viewer shows a TAPI error."
    )
    expect(links(page).first).to_have_text(RESTART)


def test_with_suggestions_shown_the_page_is_axe_clean(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone")
    precheck.control("subject").press_sequentially(
        "phones ringing but agents see nothing in cytrack"
    )
    expect(links(page).first).to_have_text(CHECKS)
    results = Axe().run(page, context={"exclude": [[".md-top"]]})
    assert results.violations_count == 0, results.generate_report()


def test_a_suggestion_is_reached_followed_and_left_with_the_keyboard_and_the_draft_stays(
    page: Page, watch: PageWatch, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.wait_until_enhanced()
    precheck.set("description", "Calls ring on the handsets; CyTrack shows nothing for anyone.")
    subject = precheck.control("subject")
    subject.focus()
    page.keyboard.type("phones ringing but agents see nothing in cytrack")
    expect(links(page).first).to_have_text(CHECKS)
    page.keyboard.press("Tab")
    expect(links(page).first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/procedures/check-phone-system-and-pc/")
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECKS)
    page.go_back()  # the browser's Back button (headless Chromium has no Alt+Left)
    page.wait_for_url("**/precheck/?type=phone")
    expect(subject).to_have_value("phones ringing but agents see nothing in cytrack")
    assert precheck.value("description") == (
        "Calls ring on the handsets; CyTrack shows nothing for anyone."
    )
    assert precheck.value("issue_type") == "phone"
    assert watch.off_origin == [] and watch.console_errors == []


def test_the_list_never_changes_under_the_focus(page: Page, watch: PageWatch, site_url: str):
    """A list worked out while the focus is on one of its links waits until the focus leaves
    it: replacing the links would drop a keyboard user's focus to the page's start, or put
    another procedure under their Enter."""
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.wait_until_enhanced()
    subject = precheck.control("subject")
    subject.press_sequentially("phones ringing but agents see nothing in cytrack")
    expect(links(page).first).to_have_text(CHECKS)
    shown = links(page).all_text_contents()
    region = page.locator("#precheck-suggestions")
    links(page).first.focus()

    worked_out = region.get_attribute("data-kb-updates") or ""
    page.evaluate(
        """text => {
            const subject = document.querySelector("#precheck-subject");
            subject.value = text;
            subject.dispatchEvent(new Event("input", { bubbles: true }));
        }""",
        "after the PBX engineer rebooted the switch, agents cannot log in",
    )
    expect(region).not_to_have_attribute("data-kb-updates", worked_out)
    expect(links(page).first).to_be_focused()
    assert links(page).all_text_contents() == shown

    page.keyboard.press("Shift+Tab")  # back to the subject: the new list is shown
    expect(subject).to_be_focused()
    expect(links(page)).to_have_count(1)
    expect(links(page).first).to_have_text(RESTART)
    assert watch.off_origin == [] and watch.console_errors == []


def test_without_javascript_no_suggestion_is_shown(browser: Browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}precheck/")
        page.locator("#precheck-subject").fill("wallboard blank since this morning")
        expect(page.locator("#precheck-suggestions-panel")).to_be_hidden()
        assert page.locator("#precheck-suggestions").inner_text().strip() == ""
    finally:
        context.close()
