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

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Drives the product's worker through its own message protocol, from a second worker the test
# starts on the same origin (which the page's Content-Security-Policy allows).
_RUN_IN_WORKER = """
async ([workerUrl, drafts, now]) => {
  const worker = new Worker(workerUrl, {type: "module"});
  try {
    return await new Promise((resolve, reject) => {
      const results = new Array(drafts.length);
      let left = drafts.length;
      worker.addEventListener("error", () => reject(new Error("the worker did not load")));
      worker.addEventListener("message", ({data}) => {
        if (data.type === "failed") reject(new Error(data.error.message));
        if (data.id === undefined) return;
        results[data.id] = data.error ? {error: data.error} : data.result;
        if (--left === 0) resolve(results);
      });
      drafts.forEach((draft, id) => worker.postMessage({id, type: "check", draft, now}));
    });
  } finally {
    worker.terminate();
  }
}
"""

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
    in_browser = page.evaluate(_RUN_IN_WORKER, [worker_url, list(drafts.values()), now])
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
