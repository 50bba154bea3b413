"""Parity: every fixture draft gives the same result JSON (ticket text and every ticket part
included) from the engine on CPython (as the CLI runs it) and from the pre-check's worker on
Pyodide in Chromium, at the same `now` and in the same time zone: the browser's clock runs in
the zone (Playwright's timezone_id), and CPython is given the same IANA zone, which it resolves
with its own tz database. The corpus has times in summer and winter and in the hours clocks
skip and repeat."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cytrack_ticket import check_json

from .precheck_page import RUN_IN_WORKER

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

ZONES = [
    pytest.param("UTC", "(UTC+00:00)", id="utc"),
    # Daylight saving time from March to November: -05:00 in winter, -04:00 in summer.
    pytest.param("America/New_York", "(UTC-04:00)", id="new-york"),
    # Half an hour of daylight saving: +10:30 in winter, +11:00 in summer.
    pytest.param("Australia/Lord_Howe", "(UTC+10:30)", id="lord-howe"),
]


def fixture_drafts() -> dict[str, str]:
    drafts = {
        path.relative_to(FIXTURES).as_posix(): path.read_bytes().decode("utf-8")
        for path in sorted(FIXTURES.glob("*/*/*.json"))
        if not path.name.endswith(".expected.json")
    }
    assert len(drafts) >= 20, "the fixture corpus of the engine is missing"
    return drafts


@pytest.mark.parametrize(("zone", "one_offset"), ZONES)
def test_every_fixture_gives_identical_json_on_cpython_and_in_the_browser(
    page_in_zone: Callable[..., Page], site_url: str, zone: str, one_offset: str
):
    now = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
    drafts = fixture_drafts()
    page = page_in_zone(zone)
    page.goto(f"{site_url}procedures/")  # any page of the site: the test starts the worker
    worker_url = f"{site_url}assets/precheck/worker.mjs"
    in_browser = page.evaluate(RUN_IN_WORKER, [worker_url, list(drafts.values()), now])
    on_cpython = [check_json(text, now, zone) for text in drafts.values()]
    differences = {
        name: {"browser": browser, "cpython": cpython}
        for name, browser, cpython in zip(drafts, in_browser, on_cpython, strict=True)
        if browser != cpython
    }
    assert differences == {}
    # The corpus exercises both outcomes, and the zone is really applied, so parity is not
    # trivially about one kind of answer.
    assert any('"valid":true' in result for result in on_cpython)
    assert any('"valid":false' in result for result in on_cpython)
    assert any(one_offset in result for result in on_cpython)
