"""Parity: every fixture draft gives the same result JSON from the engine on CPython (as the
CLI runs it) and from the pre-check's worker on Pyodide in Chromium, at the same `now`, on the
trimmed, compiled standard library (never falling back to the full one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from cytrack_ticket import check_json

from .precheck_page import PrecheckPage
from .worker_runs import run_in_worker

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_drafts() -> dict[str, str]:
    drafts = {
        path.relative_to(FIXTURES).as_posix(): path.read_bytes().decode("utf-8")
        for path in sorted(FIXTURES.glob("*/*/*.json"))
        if not path.name.endswith(".expected.json")
    }
    assert len(drafts) >= 20, "the fixture corpus of the engine is missing"
    return drafts


def test_every_fixture_gives_identical_json_on_cpython_and_in_the_browser(
    page: Page, site_url: str
):
    now = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
    drafts = fixture_drafts()
    PrecheckPage(page, site_url).open()
    in_browser, notices = run_in_worker(page, list(drafts.values()), now)
    on_cpython = [check_json(text, now) for text in drafts.values()]
    differences = {
        name: {"browser": browser, "cpython": cpython}
        for name, browser, cpython in zip(drafts, in_browser, on_cpython, strict=True)
        if browser != cpython
    }
    assert differences == {}
    assert notices == [], "the trimmed standard library lacks a module the checker imports"
    # The corpus exercises both outcomes, so parity is not trivially about one kind of answer.
    assert any('"valid":true' in result for result in on_cpython)
    assert any('"valid":false' in result for result in on_cpython)
