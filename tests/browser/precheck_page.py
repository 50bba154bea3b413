"""Driving the ticket pre-check page (/precheck/) in the browser tests: opening it, filling
it the way a person does (by the controls' JSON-key names), and complete drafts per type."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from playwright.sync_api import Locator, Page, expect

from kb_build.precheck_form import catalogue_data

BOOT_TIMEOUT_MS = 90_000


def an_hour_ago() -> str:
    """A time of occurrence as a datetime-local input holds it, in the browser's time zone
    (the browser runs in the same time zone as the tests)."""
    return (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def complete_answers(issue_type: str, *, after_hours: bool = False) -> dict[str, str]:
    """Form answers (as the controls hold them) that make a valid draft of this type."""
    answers = {
        "issue_type": issue_type,
        "subject": "Agents cannot take calls in CyTrack since 02:10",
        "occurred_at": an_hour_ago(),
        "steps_taken": "Restarted the agent's PC at 02:20; CyTrack still shows no calls.",
        "description": "CyTrack shows no incoming calls for any agent on the sales team.",
        "recent_changes": "None",
        "priority": "critical" if after_hours else "high",
        "after_hours": "yes" if after_hours else "no",
    }
    answers |= {
        "phone": {"agent_name": "Ann Lee", "extension": "2041"},
        "dashboard": {"missing_information": "The Daily Calls report shows no calls for today."},
        "other": {"affected": "The whole Leeds site"},
    }[issue_type]
    if after_hours:
        answers |= {
            "contact_name": "Sam Patel",
            "callback_phone": "+44 7700 900123",
            "remote_access_ready": "yes",
            "charges_acknowledged": "yes",
            "providers_checked": "yes",
        }
    return answers


def as_draft(answers: dict[str, str]) -> dict[str, object]:
    """The JSON draft the page builds from these answers: the build's catalogue block maps
    each choice's control value to its JSON value (yes/no become booleans)."""
    values = catalogue_data()["values"]
    return {
        key: values.get(key, {}).get(value, value) for key, value in answers.items() if value != ""
    }


class PrecheckPage:
    """The pre-check page as a person sees it."""

    def __init__(self, page: Page, site_url: str) -> None:
        self.page = page
        self.site_url = site_url
        self.root = page.locator("[data-kb-precheck]")
        self.form = page.locator("#precheck-form")
        self.status = page.locator("#precheck-status-text")
        self.summary = page.locator("#precheck-error-summary")
        self.warnings = page.locator("#precheck-warnings")
        self.result = page.locator("#precheck-result")
        self.ticket_text = page.locator("#ticket-text")
        self.check_button = page.get_by_role("button", name="Check ticket")
        self.file_status = page.locator("#precheck-file-status")

    def open(self, query: str = "", *, ready: bool = True) -> PrecheckPage:
        """Opens the page and waits until its script holds this tab's draft (and, with
        ``ready``, until the checker is ready)."""
        self.page.goto(f"{self.site_url}precheck/{query}")
        self.wait_until_drafts_ready()
        if ready:
            self.wait_until_ready()
        return self

    def wait_until_drafts_ready(self) -> None:
        expect(self.root).to_have_attribute("data-kb-drafts", "ready")

    def wait_until_ready(self) -> None:
        expect(self.form).to_have_attribute("data-state", "ready", timeout=BOOT_TIMEOUT_MS)

    def wait_until_enhanced(self) -> None:
        """Waits until the page's script has taken over the form (the checker may still load)."""
        expect(self.page.locator("[data-kb-precheck]")).to_have_attribute(
            "data-kb-initialised", "true"
        )

    def group(self, key: str) -> Locator:
        return self.page.locator(f"[data-kb-field='{key}']")

    def control(self, key: str) -> Locator:
        return self.page.locator(f"#precheck-{key}")

    def choice(self, key: str, value: str) -> Locator:
        return self.page.locator(f"[name='{key}'][value='{value}']")

    def set(self, key: str, value: str) -> None:
        widget = self.group(key).get_attribute("data-kb-widget")
        if widget in ("radios", "yes-no"):
            self.choice(key, value).check()
        elif widget == "select":
            self.control(key).select_option(value)
        else:
            self.control(key).fill(value)

    def fill(self, answers: dict[str, str]) -> None:
        # The type first: it reveals that type's questions.
        if "issue_type" in answers:
            self.set("issue_type", answers["issue_type"])
        if answers.get("after_hours") == "yes":
            self.set("after_hours", "yes")
        for key, value in answers.items():
            if key != "issue_type":
                self.set(key, value)

    def value(self, key: str) -> str:
        widget = self.group(key).get_attribute("data-kb-widget")
        if widget in ("radios", "yes-no"):
            checked = self.page.locator(f"[name='{key}']:checked")
            return checked.get_attribute("value") if checked.count() else ""
        return self.control(key).input_value()

    def inline_error(self, key: str) -> Locator:
        return self.page.locator(f"#precheck-{key}-error")

    def summary_links(self) -> list[str]:
        return self.summary.locator("a").all_inner_texts()

    def check(self) -> None:
        self.check_button.click()

    def stored(self) -> list[str]:
        """Everything this site keeps in localStorage, whatever the keys it uses."""
        return self.page.evaluate(
            "() => Object.keys(localStorage).map((key) => localStorage.getItem(key))"
        )

    def wait_until_saved(self, key: str, timeout_s: float = 5.0) -> None:
        """Waits until the browser's saved draft holds this answer (it is saved a moment after
        the last keystroke)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if any(f'"{key}":' in item for item in self.stored()):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the draft with {key} was not saved in localStorage")
