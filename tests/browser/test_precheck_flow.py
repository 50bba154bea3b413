"""The ticket pre-check in Chromium: checking drafts of every type in the Pyodide worker,
GOV.UK errors, the valid ticket with its portal steps, copying, keyboard-only use and axe."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from cytrack_ticket import catalogue

from .conftest import PageWatch
from .precheck_page import PrecheckPage, complete_answers

pytestmark = pytest.mark.browser

TYPES = [pytest.param(issue_type, id=issue_type) for issue_type in ("phone", "dashboard", "other")]


def _step_text(index: int, priority: str, after_hours: str) -> str:
    """A portal step as the result shows it for a ticket (schemas/portal.json, bold removed)."""
    return catalogue.portal_steps(priority, after_hours)[index].for_ticket.replace("**", "")


def required_messages(issue_type: str) -> list[str]:
    """The engine's "required" message of every field a draft of this type needs, in the
    order the form shows them."""
    return [field.messages["required"] for field in catalogue.fields(issue_type) if field.required]


def assert_clean(watch: PageWatch) -> None:
    assert watch.off_origin == []
    assert watch.console_errors == []


@pytest.mark.parametrize("issue_type", TYPES)
def test_a_draft_of_each_type_is_checked_fixed_and_ready_to_send(
    page: Page, watch: PageWatch, site_url: str, issue_type: str
):
    precheck = PrecheckPage(page, site_url).open()
    precheck.set("issue_type", issue_type)
    precheck.check()

    expect(precheck.summary).to_be_visible()
    expect(precheck.summary).to_be_focused()
    expect(precheck.summary).to_have_attribute("role", "alert")
    expect(precheck.summary.get_by_role("heading")).to_have_text("There is a problem")
    expected = [m for m in required_messages(issue_type) if not m.startswith("Choose the type")]
    assert sorted(precheck.summary_links()) == sorted(expected)
    assert page.title().startswith("Error: ")
    for field in catalogue.fields(issue_type):
        if field.required and field.key != "issue_type":
            expect(precheck.inline_error(field.key)).to_have_text(
                f"Error: {field.messages['required']}"
            )

    answers = complete_answers(issue_type)
    precheck.fill(answers)
    # Fields re-check as they change: the fixed errors clear without another click.
    expect(precheck.summary).to_be_hidden()
    expect(page.locator(".kb-error-message")).to_have_count(0)
    expect(precheck.result).to_be_visible()
    assert not page.title().startswith("Error: ")

    precheck.check()
    expect(page.locator("#precheck-result-title")).to_be_focused()
    text = precheck.ticket_text.input_value()
    assert text.startswith(f"Subject: {answers['subject']}")
    for field in catalogue.checklist(issue_type):
        if field.key != "occurred_at":
            assert f"{field.title}: {answers[field.key]}" in text
    assert "Priority: High" in text
    assert "After Hours Support Request: No" in text
    expect(precheck.ticket_text).to_have_attribute("readonly", "")
    steps = page.locator("#precheck-steps li")
    expect(steps).to_have_count(6)
    expect(steps.nth(0).get_by_role("link")).to_have_attribute(
        "href", catalogue.settings().values["portal_url"]
    )
    expect(steps.nth(4)).to_contain_text(_step_text(4, "High", "No"))
    expect(page.locator("#precheck-step-after-hours-note")).to_be_hidden()
    # Another type's questions are neither shown nor sent.
    for other in ("phone", "dashboard", "other"):
        expect(page.locator(f"[data-kb-issue-type='{other}']")).to_be_visible(
            visible=other == issue_type
        )
    assert_clean(watch)


def test_an_after_hours_request_needs_critical_and_its_details(
    page: Page, watch: PageWatch, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone")
    after_hours_group = page.locator("[data-kb-after-hours]")
    expect(after_hours_group).to_be_hidden()
    answers = complete_answers("phone")
    answers["after_hours"] = "yes"
    precheck.fill(answers)
    expect(after_hours_group).to_be_visible()
    precheck.check()

    critical = (
        "Set Priority to Critical: after-hours requests are only triggered when Priority is "
        "Critical and After Hours Support Request is Yes"
    )
    expect(precheck.summary.get_by_role("link", name=critical)).to_be_visible()
    expect(precheck.inline_error("priority")).to_have_text(f"Error: {critical}")
    priority = precheck.control("priority")
    expect(priority).to_have_attribute("aria-invalid", "true")
    expect(priority).to_have_attribute(
        "aria-describedby", re.compile(r"\bprecheck-priority-error\b")
    )
    for key in catalogue.after_hours_keys():
        expect(precheck.inline_error(key)).to_be_visible()
    # An error link takes the keyboard to its field.
    precheck.summary.get_by_role("link", name=critical).click()
    expect(priority).to_be_focused()

    precheck.fill(complete_answers("phone", after_hours=True))
    expect(precheck.summary).to_be_hidden()
    expect(precheck.result).to_be_visible()
    text = precheck.ticket_text.input_value()
    assert "Priority: Critical" in text and "After Hours Support Request: Yes" in text
    assert "Callback phone number: +44 7700 900123" in text
    expect(page.locator("#precheck-steps li").nth(4)).to_contain_text(
        _step_text(4, "Critical", "Yes")
    )
    expect(page.locator("#precheck-step-after-hours-note")).to_be_visible()
    assert_clean(watch)


def test_refusing_the_after_hours_charges_is_an_error_on_that_question(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=other")
    answers = complete_answers("other", after_hours=True)
    answers["charges_acknowledged"] = "no"
    precheck.fill(answers)
    precheck.check()
    expect(precheck.inline_error("charges_acknowledged")).to_contain_text(
        "Accept the after-hours charges"
    )
    group = precheck.group("charges_acknowledged").locator("fieldset")
    expect(group).to_have_attribute(
        "aria-describedby", re.compile(r"precheck-charges_acknowledged-error")
    )
    for choice in ("yes", "no"):
        expect(precheck.choice("charges_acknowledged", choice)).to_have_attribute(
            "aria-invalid", "true"
        )


def test_warnings_are_shown_apart_and_do_not_block(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers("phone", after_hours=True)
    answers["providers_checked"] = "no"
    precheck.fill(answers)
    precheck.check()
    expect(precheck.result).to_be_visible()
    expect(precheck.summary).to_be_hidden()
    expect(precheck.warnings).to_be_visible()
    expect(precheck.warnings.get_by_role("heading")).to_have_text("Check before you send")
    assert precheck.warnings.get_attribute("role") is None
    message = catalogue.field_map("phone")["providers_checked"].warnings["providers_not_checked"]
    expect(precheck.warnings).to_contain_text(message)


@pytest.mark.parametrize("issue_type", TYPES)
def test_the_type_in_the_address_preselects_it(page: Page, site_url: str, issue_type: str):
    precheck = PrecheckPage(page, site_url).open(f"?type={issue_type}", ready=False)
    expect(precheck.choice("issue_type", issue_type)).to_be_checked()
    for other in ("phone", "dashboard", "other"):
        expect(page.locator(f"[data-kb-issue-type='{other}']")).to_be_visible(
            visible=other == issue_type
        )


def test_an_unknown_type_in_the_address_selects_nothing(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=<b>fax</b>", ready=False)
    expect(page.locator("[name='issue_type']:checked")).to_have_count(0)
    expect(page.locator("[data-kb-issue-type]:visible")).to_have_count(0)
    expect(precheck.form).to_have_attribute("data-state", re.compile("loading|ready"))


def test_the_form_shows_a_progress_bar_while_the_check_loads(page: Page, site_url: str):
    # A slow network: the WebAssembly file is held back until the loading state has been seen.
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    precheck = PrecheckPage(page, site_url).open(ready=False)
    expect(precheck.form).to_have_attribute("data-state", "loading")
    expect(page.locator("#precheck-progress")).to_be_visible()
    expect(precheck.status).to_contain_text(re.compile("Loading the check|Starting the check"))
    expect(page.locator("#precheck-progress-text")).to_contain_text(re.compile(r"of [0-9.]+ MB"))
    expect(precheck.status).to_have_attribute("role", "status")
    assert len(held) == 1
    held[0].continue_()
    precheck.wait_until_ready()
    expect(page.locator("#precheck-progress")).to_be_hidden()
    expect(precheck.status).to_have_text(
        "The check is ready. Nothing you type leaves your browser."
    )


def test_a_check_asked_for_while_loading_runs_once_ready(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=dashboard", ready=False)
    precheck.check()
    precheck.wait_until_ready()
    expect(precheck.summary).to_be_visible()
    expect(precheck.summary).to_be_focused()


def test_copy_all_puts_the_whole_ticket_text_on_the_clipboard(
    context: BrowserContext, page: Page, site_url: str
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    precheck = PrecheckPage(page, site_url).open()
    precheck.fill(complete_answers("dashboard"))
    precheck.check()
    expect(precheck.result).to_be_visible()
    copy_all = page.get_by_role("button", name="Copy all", exact=True)
    copy_all.click()
    expect(copy_all.locator("xpath=..").get_by_role("status")).to_have_text(
        "Copied all of the ticket text."
    )
    clipboard = page.evaluate("() => navigator.clipboard.readText()")
    assert clipboard == precheck.ticket_text.input_value()
    assert clipboard.startswith("Subject: ")


def test_without_clipboard_access_copy_selects_the_text_instead(page: Page, site_url: str):
    # As in a browser without the asynchronous clipboard (or one that refuses it).
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get() {}})")
    precheck = PrecheckPage(page, site_url).open()
    precheck.fill(complete_answers("other"))
    precheck.check()
    copy_all = page.get_by_role("button", name="Copy all", exact=True)
    copy_all.click()
    expect(copy_all.locator("xpath=..").get_by_role("status")).to_contain_text(
        "The text is selected"
    )
    expect(precheck.ticket_text).to_be_focused()
    selected = precheck.ticket_text.evaluate(
        "el => el.value.slice(el.selectionStart, el.selectionEnd)"
    )
    assert selected == precheck.ticket_text.input_value()


def test_a_ticket_can_be_completed_with_the_keyboard_alone(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open()
    keyboard = page.keyboard
    # From the top of the page, Tab until the first question has the focus.
    for _ in range(80):
        keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "precheck-issue_type":
            break
    expect(precheck.control("issue_type")).to_be_focused()
    keyboard.press("Space")  # Phone issue
    answers = complete_answers("phone")
    keyboard.press("Tab")
    expect(precheck.control("agent_name")).to_be_focused()
    keyboard.type(answers["agent_name"])
    keyboard.press("Tab")
    keyboard.type(answers["extension"])
    keyboard.press("Tab")
    keyboard.type(answers["subject"])
    # Procedures suggested for the subject come next in the tab order, up to three links.
    for _ in range(4):
        keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "precheck-occurred_at":
            break
    expect(precheck.control("occurred_at")).to_be_focused()
    date, time = answers["occurred_at"].split("T")
    year, month, day = date.split("-")
    hour, minute = (int(part) for part in time.split(":"))
    # Chromium's en-US date-time control: Tab moves from the date part to the time part, and
    # from the AM/PM part out of the control.
    keyboard.type(f"{month}{day}{year}")
    keyboard.press("Tab")
    keyboard.type(f"{hour % 12 or 12:02d}{minute:02d}{'P' if hour >= 12 else 'A'}")
    for _ in range(3):
        keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") != "precheck-occurred_at":
            break
    # The time-zone list beside it: left at "Your time zone".
    expect(page.locator("#precheck-occurred_at-zone")).to_be_focused()
    keyboard.press("Tab")
    for index, key in enumerate(("steps_taken", "description", "recent_changes")):
        if index:
            keyboard.press("Tab")
        expect(precheck.control(key)).to_be_focused()
        keyboard.type(answers[key])
    keyboard.press("Tab")
    expect(precheck.control("priority")).to_be_focused()
    keyboard.type("High")
    keyboard.press("Tab")
    expect(precheck.control("after_hours")).to_be_focused()
    keyboard.press("ArrowDown")  # Yes → No, which checks it
    keyboard.press("Tab")
    expect(precheck.check_button).to_be_focused()
    keyboard.press("Enter")

    expect(precheck.result).to_be_visible()
    expect(page.locator("#precheck-result-title")).to_be_focused()
    assert precheck.value("occurred_at") == answers["occurred_at"]
    assert precheck.value("after_hours") == "no"
    # From the title, each part and its own Copy button in turn.
    keyboard.press("Tab")
    expect(page.locator("#precheck-part-subject")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Copy Subject")).to_be_focused()
    keyboard.press("Tab")
    expect(page.locator("#precheck-part-description")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Copy Description")).to_be_focused()


def test_errors_reach_the_keyboard_from_the_summary(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone")
    precheck.control("subject").focus()
    page.keyboard.press("Enter")  # submits the form, as in any form
    expect(precheck.summary).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(precheck.control("agent_name")).to_be_focused()


def _axe(page: Page) -> None:
    # Material's "Back to top" button fades in when the page scrolls up (as focusing the
    # summary does); caught mid-fade, its colour fails. At rest it is checked on every page by
    # test_site_pages.py.
    results = Axe().run(page, context={"exclude": [[".md-top"]]})
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_violations_when_empty_with_errors_and_when_valid(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open()
    _axe(page)
    precheck.set("issue_type", "phone")
    answers = complete_answers("phone", after_hours=True)
    precheck.set("after_hours", "yes")
    precheck.check()
    expect(precheck.summary).to_be_visible()
    _axe(page)
    precheck.fill(answers)
    answers["providers_checked"] = "no"
    precheck.set("providers_checked", "no")
    precheck.check()
    expect(precheck.result).to_be_visible()
    expect(precheck.warnings).to_be_visible()
    _axe(page)


def test_the_draft_sent_holds_only_the_chosen_types_answers(page: Page, site_url: str):
    """Answers typed for another type stay in the form but never reach the check."""
    precheck = PrecheckPage(page, site_url).open()
    precheck.fill(complete_answers("phone"))
    precheck.set("issue_type", "other")
    precheck.set("affected", "The whole Leeds site")
    precheck.check()
    expect(precheck.result).to_be_visible()
    text = precheck.ticket_text.input_value()
    assert "Ann Lee" not in text and "2041" not in text
    assert "Person, group and/or site affected: The whole Leeds site" in text
    precheck.set("issue_type", "phone")
    assert precheck.value("agent_name") == "Ann Lee"
    assert precheck.value("extension") == "2041"
