"""Drafts survive every path (issue 9): two tabs never erase each other's drafts, a full
storage is said at once and nothing is called saved unless it was, opening a file keeps the
earlier answers restorable across a reload, and a file's values either survive a
file -> form -> file round trip unchanged or are listed with how and why."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PageWatch, watched_page
from .precheck_page import PrecheckPage

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DRAFT_PREFIX = "cytrack-kb.precheck.draft.v2."

# Fills this origin's localStorage to the last character, as a long-used browser might be.
_FILL_STORAGE = """
() => {
  let index = 0;
  for (let size = 1 << 20; size >= 1; ) {
    try {
      localStorage.setItem(`filler-${index++}`, "x".repeat(size));
    } catch {
      size = Math.floor(size / 2);
    }
  }
  return index;
}
"""
_FREE_STORAGE = """
() => Object.keys(localStorage)
  .filter((key) => key.startsWith("filler-"))
  .forEach((key) => localStorage.removeItem(key))
"""


def drafts_in(page: Page) -> dict[str, dict]:
    """Every draft this origin keeps, by key."""
    stored = page.evaluate(
        f"""() => Object.fromEntries(Object.keys(localStorage)
            .filter((key) => key.startsWith("{DRAFT_PREFIX}"))
            .map((key) => [key, JSON.parse(localStorage.getItem(key))]))"""
    )
    return stored


def wait_until_stored(page: Page, key: str, value: str) -> None:
    """Waits until some stored draft holds this answer (drafts are saved a moment after the
    last keystroke)."""
    for _ in range(50):
        if any(d["values"].get(key) == value for d in drafts_in(page).values()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no stored draft holds {key}={value!r}: {drafts_in(page)}")


def open_file(page: Page, name: str, data: bytes) -> None:
    page.locator("#precheck-open-file").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": data}]
    )


# -- two tabs ------------------------------------------------------------------------------


def test_two_tabs_never_erase_each_others_drafts(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    # Issue 9, point 1: a subject and description typed in tab A, then Dashboard clicked in B.
    tab_a = PrecheckPage(watched_page(context, watch, site_url), site_url).open(
        "?type=phone", ready=False
    )
    tab_b = PrecheckPage(watched_page(context, watch, site_url), site_url).open(ready=False)
    tab_a.set("subject", "Phones dead since 02:10")
    tab_a.set("description", "No agent on the sales team can take calls.")
    tab_b.set("issue_type", "dashboard")
    wait_until_stored(tab_a.page, "description", "No agent on the sales team can take calls.")
    wait_until_stored(tab_b.page, "issue_type", "dashboard")

    stored = [d["values"] for d in drafts_in(tab_a.page).values()]
    assert {"issue_type": "dashboard"} in stored
    assert {
        "issue_type": "phone",
        "subject": "Phones dead since 02:10",
        "description": "No agent on the sales team can take calls.",
    } in stored

    tab_a.page.reload()
    expect(tab_a.page.locator("#precheck-restored")).to_contain_text("We restored your draft")
    assert tab_a.value("subject") == "Phones dead since 02:10"
    assert tab_a.value("description") == "No agent on the sales team can take calls."
    assert tab_a.value("issue_type") == "phone"
    tab_b.page.reload()
    tab_b.wait_until_drafts_ready()
    assert tab_b.value("issue_type") == "dashboard"
    assert tab_b.value("subject") == ""
    assert watch.console_errors == []


def test_a_new_tab_goes_on_with_a_closed_tabs_draft_but_not_an_open_ones(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    first = PrecheckPage(watched_page(context, watch, site_url), site_url).open(ready=False)
    first.set("issue_type", "other")
    first.set("subject", "Licence warning at every login")
    wait_until_stored(first.page, "subject", "Licence warning at every login")

    # While the first tab is open, its draft stays its own: a second tab starts empty.
    second = PrecheckPage(watched_page(context, watch, site_url), site_url).open(ready=False)
    assert second.value("subject") == ""
    expect(second.page.locator("#precheck-other-drafts")).to_be_hidden()

    first.page.close()
    third = PrecheckPage(watched_page(context, watch, site_url), site_url).open(ready=False)
    expect(third.page.locator("#precheck-restored")).to_contain_text("We restored your draft")
    assert third.value("subject") == "Licence warning at every login"
    assert third.value("issue_type") == "other"


def test_a_tab_opened_for_another_type_lists_the_free_draft_instead_of_changing_it(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    first = PrecheckPage(watched_page(context, watch, site_url), site_url).open(
        "?type=phone", ready=False
    )
    first.set("subject", "Phones dead since 02:10")
    wait_until_stored(first.page, "subject", "Phones dead since 02:10")
    first.page.close()

    second = PrecheckPage(watched_page(context, watch, site_url), site_url).open(
        "?type=dashboard", ready=False
    )
    page = second.page
    assert second.value("issue_type") == "dashboard"
    assert second.value("subject") == ""
    others = page.locator("#precheck-other-drafts")
    expect(others).to_be_visible()
    expect(others.locator("li")).to_have_count(1)
    expect(others.locator("li")).to_contain_text("Phone issue: “Phones dead since 02:10”, saved")

    second.set("subject", "Reports empty")
    others.get_by_role("button", name="Open").click()
    expect(page.locator("#precheck-restored")).to_contain_text("This tab now holds your draft")
    expect(page.locator("#precheck-restored")).to_contain_text("listed under Other drafts")
    assert second.value("issue_type") == "phone"
    assert second.value("subject") == "Phones dead since 02:10"
    # The answers it held before are a draft of their own, listed and kept.
    expect(others.locator("li")).to_contain_text("Dashboard Reporting issue: “Reports empty”")
    stored = [d["values"] for d in drafts_in(page).values()]
    assert {"issue_type": "dashboard", "subject": "Reports empty"} in stored

    # Deleting a listed draft asks first.
    others.get_by_role("button", name="Delete").click()
    expect(others).to_contain_text("Delete this draft for good?")
    others.get_by_role("button", name="Yes, delete it").click()
    expect(others).to_be_hidden()
    expect(page.locator("#precheck-save-file")).to_be_focused()
    stored = [d["values"] for d in drafts_in(page).values()]
    assert stored == [{"issue_type": "phone", "subject": "Phones dead since 02:10"}]


def test_a_draft_written_by_another_tab_is_never_overwritten(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    tab = PrecheckPage(watched_page(context, watch, site_url), site_url).open(
        "?type=phone", ready=False
    )
    tab.set("subject", "Typed in this tab")
    wait_until_stored(tab.page, "subject", "Typed in this tab")
    (key,) = drafts_in(tab.page)
    # Another tab writes this tab's draft (a duplicated tab, or a browser without Web Locks).
    other = watched_page(context, watch, site_url)
    other.goto(site_url)
    other.evaluate(
        """(key) => localStorage.setItem(key, JSON.stringify(
            {rev: "other", saved_at: new Date().toISOString(),
             values: {issue_type: "other", subject: "Typed in the other tab"}, imports: []}))""",
        key,
    )
    expect(tab.page.locator("#precheck-restored")).to_contain_text("also changed in another tab")
    wait_until_stored(tab.page, "subject", "Typed in this tab")
    stored = [d["values"]["subject"] for d in drafts_in(tab.page).values()]
    assert sorted(stored) == ["Typed in the other tab", "Typed in this tab"]


def test_a_duplicated_tab_keeps_its_answers_as_a_draft_of_their_own(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    original = PrecheckPage(watched_page(context, watch, site_url), site_url).open(
        "?type=phone", ready=False
    )
    original.set("subject", "Typed in the original tab")
    wait_until_stored(original.page, "subject", "Typed in the original tab")
    tab_id = original.page.evaluate("() => sessionStorage.getItem('cytrack-kb.precheck.tab')")
    # A duplicated tab starts with a copy of its original's sessionStorage.
    copy_page = watched_page(context, watch, site_url)
    copy_page.add_init_script(f"sessionStorage.setItem('cytrack-kb.precheck.tab', '{tab_id}')")
    copy = PrecheckPage(copy_page, site_url).open(ready=False)
    expect(copy_page.locator("#precheck-restored")).to_contain_text("This tab is a copy")
    assert copy.value("subject") == "Typed in the original tab"
    copy.set("subject", "Typed in the copy")
    wait_until_stored(copy_page, "subject", "Typed in the copy")
    stored = sorted(d["values"]["subject"] for d in drafts_in(copy_page).values())
    assert stored == ["Typed in the copy", "Typed in the original tab"]
    original.page.reload()
    expect(original.page.locator("#precheck-restored")).to_contain_text("We restored your draft")
    assert original.value("subject") == "Typed in the original tab"


# -- full storage --------------------------------------------------------------------------


def test_full_storage_is_said_at_once_and_nothing_is_called_saved(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    problem = page.locator("#precheck-storage-problem")
    save_state = page.locator("#precheck-save-state")
    expect(problem).to_be_hidden()
    assert page.evaluate(_FILL_STORAGE) > 0

    precheck.set("subject", "Typed once the storage is full")
    expect(problem).to_be_visible()
    expect(page.locator("#precheck-storage")).to_have_attribute("role", "alert")
    expect(problem).to_contain_text("not saved in this browser: its storage is full")
    expect(save_state).to_have_text("Not saved in this browser: its storage is full.")
    expect(page.get_by_text(re.compile("^Saved in this browser"))).to_have_count(0)
    assert drafts_in(page) == {}

    with page.expect_download() as download_info:
        problem.get_by_role("button", name="Save draft as file").click()
    download = download_info.value
    saved = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert saved["subject"] == "Typed once the storage is full"
    expect(problem).to_contain_text(
        f"Your browser is downloading your draft as {download.suggested_filename}."
    )

    page.evaluate(_FREE_STORAGE)
    precheck.set("subject", "Typed once there is room again")
    expect(problem).to_be_hidden()
    expect(save_state).to_contain_text("Saved in this browser at")
    wait_until_stored(page, "subject", "Typed once there is room again")


def test_after_a_failed_save_a_reload_says_the_restored_draft_is_older(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.set("subject", "Saved before the storage filled up")
    wait_until_stored(page, "subject", "Saved before the storage filled up")
    page.evaluate(_FILL_STORAGE)
    precheck.set("description", "Typed once the storage is full. " * 20)
    expect(page.locator("#precheck-storage-problem")).to_be_visible()

    page.reload()
    restored = page.locator("#precheck-restored")
    expect(restored).to_contain_text("We restored your draft from")
    expect(restored).to_contain_text(
        "Changes made after that could not be saved: this browser's storage was full."
    )
    assert precheck.value("subject") == "Saved before the storage filled up"
    assert precheck.value("description") == ""


# -- opening files ---------------------------------------------------------------------------


def test_a_reload_after_opening_a_file_keeps_the_earlier_answers_restorable(
    page: Page, site_url: str
):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.set("subject", "Typed before opening")
    precheck.set("extension", "2041")
    wait_until_stored(page, "extension", "2041")
    open_file(page, "typical.json", (FIXTURES / "dashboard/valid/typical.json").read_bytes())
    expect(precheck.file_status).to_contain_text("Opened typical.json.")
    assert precheck.value("issue_type") == "dashboard"

    page.reload()
    expect(precheck.file_status).to_contain_text("Opened typical.json.")
    assert precheck.value("issue_type") == "dashboard"
    precheck.file_status.get_by_role("button", name="Undo").click()
    expect(precheck.file_status).to_contain_text(
        "Your answers from before opening typical.json are back."
    )
    assert precheck.value("issue_type") == "phone"
    assert precheck.value("subject") == "Typed before opening"
    assert precheck.value("extension") == "2041"

    page.reload()
    precheck.wait_until_drafts_ready()
    assert precheck.value("subject") == "Typed before opening"
    expect(precheck.file_status.get_by_role("button", name="Undo")).to_have_count(0)


def test_dismissing_the_undo_forgets_the_earlier_answers_after_a_reload(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open("?type=phone", ready=False)
    precheck.set("subject", "Typed before opening")
    open_file(page, "typical.json", (FIXTURES / "other/valid/typical.json").read_bytes())
    precheck.file_status.get_by_role("button", name="Dismiss").click()
    expect(precheck.file_status).to_have_text("You are keeping the answers from typical.json.")
    page.reload()
    precheck.wait_until_drafts_ready()
    assert precheck.value("issue_type") == "other"
    expect(precheck.file_status.get_by_role("button", name="Undo")).to_have_count(0)
    assert not any("Typed before opening" in json.dumps(d) for d in drafts_in(page).values())


ROUND_TRIPS = [
    "phone/valid/unicode-text",
    "phone/valid/after-hours",
    "phone/valid/multiline-offset-seconds",
    "encoding/valid/utf8-bom",
    "phone/invalid/line-break-in-one-line-field",
    "phone/invalid/escape-sequence-in-subject",
    "phone/invalid/bidi-override-in-description",
    "phone/invalid/hidden-characters-in-two-fields",
    "other/invalid/huge-number-and-long-key",
]


def _int_or_digits(digits: str) -> int | str:
    return int(digits) if len(digits) < 1000 else digits  # as huge as the file wrote it


def shortened(key: str) -> str:
    return key if len(key) <= 60 else key[:59] + "…"


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_every_value_survives_file_form_file_or_is_listed_with_how_and_why(
    page: Page, site_url: str, name: str, tmp_path: Path
):
    data = (FIXTURES / f"{name}.json").read_bytes()
    original = json.loads(data.decode("utf-8-sig"), parse_int=_int_or_digits)
    precheck = PrecheckPage(page, site_url).open(ready=False)
    open_file(page, "draft.json", data)
    expect(precheck.file_status).to_contain_text("Opened draft.json.")
    listed = {
        item.locator("code").inner_text(): item.inner_text()
        for item in precheck.file_status.locator("li").all()
    }
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save draft as file").click()
    saved = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))

    assert set(saved) <= set(original)
    for key, value in original.items():
        if shortened(key) in listed:
            continue  # changed or left out, and said so
        assert saved.get(key) == value, f"{key} changed silently: {saved.get(key)!r}"
    for key, note in listed.items():
        # Every listed value was in fact left out or changed, and the note says how and why.
        (match,) = [k for k in original if shortened(k) == key]
        assert saved.get(match) != original[match], f"{key} is listed but unchanged"
        assert re.search(r"so it was left out\.$|: the form holds .+\.$", note), note
    if name in ("phone/valid/unicode-text", "phone/valid/after-hours", "encoding/valid/utf8-bom"):
        assert listed == {} and saved == original


def test_a_line_break_in_a_one_line_answer_becomes_a_space_and_is_listed(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    open_file(
        page,
        "draft.json",
        (FIXTURES / "phone/invalid/line-break-in-one-line-field.json").read_bytes(),
    )
    assert precheck.value("agent_name") == "Priya Shah"
    expect(precheck.file_status.locator("li")).to_have_text(
        'agent_name "Priya\\r\\nShah" has line breaks, but this answer is one line: each line'
        ' break was replaced by a space: the form holds "Priya Shah".'
    )


def test_hidden_control_characters_in_an_opened_file_are_kept_and_reported_by_the_check(
    page: Page, site_url: str
):
    precheck = PrecheckPage(page, site_url).open()
    open_file(
        page,
        "draft.json",
        (FIXTURES / "phone/invalid/escape-sequence-in-subject.json").read_bytes(),
    )
    expect(precheck.summary).to_contain_text(
        "Remove the line breaks and hidden control characters from the subject"
    )
    assert "\x1b[31m" in precheck.value("subject")
    expect(precheck.file_status.locator("li")).to_have_count(0)


def test_a_huge_number_is_shown_as_written_not_as_null(page: Page, site_url: str):
    precheck = PrecheckPage(page, site_url).open(ready=False)
    open_file(page, "draft.json", b'{"issue_type": "phone", "subject": ' + b"9" * 5000 + b"}")
    item = precheck.file_status.locator("li")
    expect(item).to_have_text(
        "subject 9999999999999999999… (a number of 5000 characters) is a number, not text,"
        " so it was left out."
    )


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param({"saved_at": "2026-11-26T02:00:00Z", "values": {}}, id="empty"),
        pytest.param(
            {"saved_at": "2026-11-26T02:00:00Z", "values": {"no_such_question": "x"}},
            id="unknown-keys",
        ),
        pytest.param({"saved_at": "2026-11-26T02:00:00Z", "values": {"subject": 42}}, id="number"),
    ],
)
def test_we_restored_is_only_said_when_something_was_restored(
    context: BrowserContext, page: Page, site_url: str, stored: dict
):
    # A draft kept by the page before drafts were per tab, holding nothing the form can show.
    context.add_init_script(
        "localStorage.setItem('cytrack-kb.precheck.draft.v1', "
        + json.dumps(json.dumps(stored))
        + ")"
    )
    precheck = PrecheckPage(page, site_url).open(ready=False)
    expect(page.locator("#precheck-restored")).to_be_hidden()
    assert precheck.value("subject") == ""


def test_a_draft_kept_before_drafts_were_per_tab_is_restored(
    context: BrowserContext, page: Page, site_url: str
):
    stored = {
        "saved_at": "2026-11-26T02:00:00Z",
        "values": {"issue_type": "phone", "subject": "Old"},
    }
    page.goto(site_url)
    page.evaluate(
        "(text) => localStorage.setItem('cytrack-kb.precheck.draft.v1', text)", json.dumps(stored)
    )
    precheck = PrecheckPage(page, site_url).open(ready=False)
    expect(page.locator("#precheck-restored")).to_contain_text("We restored your draft")
    assert precheck.value("subject") == "Old"
    assert page.evaluate("() => localStorage.getItem('cytrack-kb.precheck.draft.v1')") is None
