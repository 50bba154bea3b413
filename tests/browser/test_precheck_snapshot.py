"""The pre-check's memory snapshot (worker.mjs, snapshot-store.mjs): a first start leaves one in
this browser's IndexedDB, the next worker restores it and gives the same results as CPython on
the whole fixture corpus, and a snapshot that cannot be trusted or stored costs nothing but
speed: it is deleted, Python starts as usual and the results are still right."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cytrack_ticket import check_json
from kb_build import snapshot_check

from .conftest import PageWatch, watched_page
from .find_chromium import LAUNCH_ARGS, chromium_executable
from .precheck_page import PrecheckPage, complete_answers
from .snapshot_records import record, tamper
from .worker_runs import run_in_worker

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
ZONE = "America/New_York"


def fixture_texts() -> dict[str, str]:
    """Every draft of the corpus that is UTF-8 text (the page's decoder has its own test)."""
    texts = {}
    for path in sorted(FIXTURES.glob("*/*/*.json")):
        if path.name.endswith(".expected.json"):
            continue
        try:
            texts[path.relative_to(FIXTURES).as_posix()] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
    assert len(texts) >= 20, "the fixture corpus of the engine is missing"
    return texts


def check_as_the_page(page: Page, drafts: dict[str, str]) -> dict[str, Any]:
    """Each draft's result from a worker started as the page starts it, where it differs from
    CPython's in the same zone."""
    results, notices = run_in_worker(page, list(drafts.values()), NOW, as_the_page=True)
    assert notices == []
    return {
        name: {"browser": got, "cpython": check_json(text, NOW, ZONE)}
        for (name, text), got in zip(drafts.items(), results, strict=True)
        if got != check_json(text, NOW, ZONE)
    }


@pytest.fixture
def page(page_in_zone: Any, watch: PageWatch) -> Iterator[Page]:
    """A watched page in a zone with daylight saving time; each test ends with no console
    error (CSP violations included) and no request off the site's origin."""
    yield page_in_zone(ZONE)
    assert watch.console_errors == []
    assert watch.off_origin == []


def test_the_snapshot_switch_comes_from_the_settings_with_a_self_check_of_this_build():
    snapshot = snapshot_check.data()
    assert snapshot is not None, "schemas/settings.json switches the snapshot on"
    assert snapshot["result"] == check_json(snapshot["draft"], snapshot["now"])
    # Its answer carries the engine's own messages, so a checker that says otherwise fails it.
    assert json.loads(snapshot["result"])["errors"]


def test_a_restored_checker_gives_identical_json_to_cpython_on_every_fixture(
    page: Page, site_url: str
):
    drafts = fixture_texts()
    PrecheckPage(page, site_url).open(ready=False)
    assert check_as_the_page(page, drafts) == {}
    made = record(page, wait_ms=60_000)
    assert made is not None, "the first start left no snapshot"
    tamper(page, "mark")
    assert check_as_the_page(page, drafts) == {}
    assert record(page) == {"key": made["key"], "marked": True}, "the snapshot was not restored"


def test_the_next_visit_to_the_page_restores_the_checker_and_a_ticket_checks(
    context: BrowserContext, watch: PageWatch, site_url: str
):
    # The browser's zone is the tests' own, as complete_answers() writes its time of occurrence.
    page = watched_page(context, watch, site_url)
    PrecheckPage(page, site_url).open()
    made = record(page, wait_ms=60_000)
    assert made is not None
    tamper(page, "mark")
    precheck = PrecheckPage(page, site_url).open()
    answers = complete_answers("phone")
    precheck.fill(answers)
    precheck.check()
    expect(page.locator("#precheck-result-title")).to_be_focused()
    assert precheck.ticket_text.input_value().startswith(f"Subject: {answers['subject']}")
    assert record(page) == {"key": made["key"], "marked": True}, "the snapshot was not restored"
    assert watch.console_errors == [] and watch.off_origin == []


def test_a_worker_the_page_did_not_start_leaves_the_snapshot_alone(page: Page, site_url: str):
    PrecheckPage(page, site_url).open(ready=False)
    made = record(page, wait_ms=60_000)
    assert made is not None
    tamper(page, "mark")
    run_in_worker(page, ['{"issue_type":"phone"}'], NOW)
    assert record(page) == {"key": made["key"], "marked": True}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param("corrupt", id="corrupt-blob"),
        pytest.param("pages", id="pages-that-are-not-a-memory"),
        pytest.param("key", id="made-from-another-runtime"),
        pytest.param("build-id", id="header-of-another-pyodide-build"),
        pytest.param("self-check", id="restores-but-fails-the-self-check"),
    ],
)
def test_a_snapshot_that_cannot_be_trusted_is_deleted_and_python_starts_as_usual(
    page: Page, site_url: str, damage: str
):
    sample = dict(list(fixture_texts().items())[:8])
    PrecheckPage(page, site_url).open(ready=False)
    made = record(page, wait_ms=60_000)
    assert made is not None
    self_check = snapshot_check.data()
    assert self_check is not None
    message = json.loads(self_check["result"])["errors"][0]["message"]
    altered = tamper(page, damage, message)
    if damage == "self-check":
        assert altered > 0, "the self-check's message is not in the copied memory"
    assert check_as_the_page(page, sample) == {}
    assert record(page) in (None, {"key": made["key"], "marked": False}), "it was not deleted"
    # The page's own checker (which lives on after "ready") stores a snapshot of its own start.
    PrecheckPage(page, site_url).open()
    assert record(page, wait_ms=60_000) == {"key": made["key"], "marked": False}


def test_with_no_storage_quota_the_checker_starts_and_keeps_no_snapshot(page: Page, site_url: str):
    sample = dict(list(fixture_texts().items())[:8])
    page.goto(site_url + "procedures/")
    session = page.context.new_cdp_session(page)
    # 100 kB, far less than a snapshot (a quota of 0 would reset the override instead).
    quota = {"origin": site_url.rstrip("/"), "quotaSize": 100_000}
    session.send("Storage.overrideQuotaForOrigin", quota)
    PrecheckPage(page, site_url).open()
    for _ in range(2):
        drafts = list(sample.values())
        results, _ = run_in_worker(page, drafts, NOW, as_the_page=True, linger_ms=3000)
        assert results == [check_json(text, NOW, ZONE) for text in drafts]
        assert record(page) is None


def test_where_the_browser_blocks_all_storage_the_precheck_works_as_before(
    browser: Browser, tmp_path: Path, site_url: str
):
    """As a profile that blocks site data (cookies) has it: IndexedDB, Cache Storage and
    localStorage all throw, as in some private modes and managed browsers."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    preferences = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    context = browser.browser_type.launch_persistent_context(
        profile,
        executable_path=chromium_executable(),
        args=LAUNCH_ARGS,
        headless=True,
        timezone_id=ZONE,
    )
    try:
        watch = PageWatch(site_url.rstrip("/"))
        page = watched_page(context, watch, site_url)
        for _ in range(2):
            PrecheckPage(page, site_url).open()
            blocked = page.evaluate(
                "async () => { try { await caches.keys(); return false; } catch { return true; } }"
            )
            assert blocked, "this profile does not block storage"
            assert check_as_the_page(page, dict(list(fixture_texts().items())[:4])) == {}
        assert watch.console_errors == [] and watch.off_origin == []
    finally:
        context.close()
