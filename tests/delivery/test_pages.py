"""The site in Chromium as nginx serves it, under the header policy: every page without a console
error or CSP violation and nothing off the origin, the pre-check reaching ready (over HTTPS with
HTTP/2 too), no layout shift while it loads, framing by another origin refused, and a repeat
visit that asks nginx for no content-hashed file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ..browser.conftest import PageWatch
from ..browser.find_chromium import LAUNCH_ARGS, chromium_executable
from ..browser.precheck_page import PrecheckPage
from ..browser.static_site import serve
from ..browser.test_site_pages import open_page, site_pages
from .conftest import Servers

pytestmark = [pytest.mark.delivery, pytest.mark.browser]

PHONE = {"width": 412, "height": 915}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(ignore_https_errors=True)
    yield created
    created.close()


def watched(context: BrowserContext, origin: str) -> tuple[Page, PageWatch]:
    page = context.new_page()
    parts = urlsplit(origin)
    watch = PageWatch(origin=f"{parts.scheme}://{parts.netloc}")
    page.on("request", watch.on_request)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    return page, watch


def test_every_page_loads_under_the_header_policy_without_errors(
    context: BrowserContext, servers: Servers, delivered_site: Path
):
    page, watch = watched(context, servers.http)
    problems = {}
    for url in site_pages(delivered_site):
        seen = len(watch.off_origin), len(watch.console_errors)
        response = page.goto(servers.http + url, wait_until="load")
        assert response is not None
        assert "frame-ancestors 'none'" in (response.header_value("content-security-policy") or "")
        open_page(page, servers.http + url)
        found = watch.off_origin[seen[0] :] + watch.console_errors[seen[1] :]
        if found:
            problems[f"/{url}"] = found
    assert problems == {}


@pytest.mark.parametrize("server", ["http", "https"])
def test_the_precheck_reaches_ready(context: BrowserContext, servers: Servers, server: str):
    base = getattr(servers, server)
    page, watch = watched(context, base)
    PrecheckPage(page, base).open()
    # Chromium registers no service worker over a certificate it does not trust (this run's
    # own); it says so once. A trusted certificate in production has no such message.
    untrusted = "An SSL certificate error occurred when fetching the script."
    errors = [error for error in watch.console_errors if server != "https" or error != untrusted]
    assert errors == [] and watch.off_origin == []
    # What the service worker answered went over no network connection: no protocol to judge.
    protocols = page.evaluate(
        """() => [...new Set(performance.getEntriesByType("resource")
              .filter((entry) => entry.name.includes("/assets/") && entry.nextHopProtocol)
              .map((entry) => entry.nextHopProtocol))]"""
    )
    assert protocols == (["h2"] if server == "https" else ["http/1.1"])


def test_a_page_of_another_origin_cannot_frame_the_precheck(
    context: BrowserContext, servers: Servers, tmp_path: Path
):
    target = servers.http + "precheck/"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>Framing</title><iframe src="{target}"></iframe>',
        encoding="utf-8",
    )
    page = context.new_page()
    with serve(tmp_path) as other_origin:
        assert urlsplit(other_origin).port != urlsplit(servers.http).port
        with page.expect_console_message(
            lambda message: "frame-ancestors 'none'" in message.text
        ) as refusal:
            page.goto(other_origin)
        expect(page.frame_locator("iframe").locator("#precheck-form")).to_have_count(0)
    assert target.rstrip("/") in refusal.value.text or "127.0.0.1" in refusal.value.text


# Layout shifts (not caused by input), summed from the first paint, as CLS counts them.
_LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({
      value: entry.value,
      nodes: entry.sources.map((source) => source.node
        ? `${source.node.nodeName}#${source.node.id || ""}.${source.node.className || ""}`
        : null),
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""


def test_the_precheck_does_not_shift_while_it_loads_on_a_phone(browser: Browser, servers: Servers):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.add_init_script(_LAYOUT_SHIFTS)
        precheck = PrecheckPage(page, servers.http).open()
        expect(precheck.status).to_contain_text("The check is ready.")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
        shifts = page.evaluate("() => window.__shifts")
        assert sum(shift["value"] for shift in shifts) < 0.01, shifts
    finally:
        context.close()


def test_without_javascript_the_status_box_takes_no_place(browser: Browser, servers: Servers):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(servers.http + "precheck/")
        expect(page.locator("#precheck-status")).to_be_hidden()
        expect(page.get_by_text("The check needs JavaScript")).to_be_visible()
    finally:
        context.close()


def test_a_repeat_visit_asks_nginx_for_no_content_hashed_file(
    browser: Browser, servers: Servers, tmp_path: Path
):
    log = servers.run / "access.log"
    profile = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=chromium_executable(), args=LAUNCH_ARGS
    )
    start = log.stat().st_size  # the log is shared with the other tests: this test's part only
    try:
        page = profile.new_page()
        PrecheckPage(page, servers.http).open()
        before = log.stat().st_size
        page.close()
        page = profile.new_page()
        PrecheckPage(page, servers.http).open()
    finally:
        profile.close()
    lines = log.read_bytes().decode("utf-8", "replace").splitlines(keepends=True)
    first = "".join(lines)[start:before].splitlines()
    repeat = "".join(lines)[before:].splitlines()

    def path(line: str) -> str:
        return re.search(r'"GET (\S+) ', line).group(1)

    paths = [path(line) for line in repeat if '"GET ' in line]
    assert "/precheck/" in paths, repeat
    hashed = [p for p in paths if p.startswith("/assets/runtime/")]
    assert hashed == [], "content-hashed files are kept for a year: no request for them"
    # What is not hashed is revalidated: 304, nothing the first visit downloaded comes again.
    # (The service worker fills its cache after the first visit's ready, so a file the first
    # visit never asked for may arrive now, once.)
    downloaded = {path(line) for line in first if '"GET ' in line and '" 200 ' in line}
    unhashed = [line for line in repeat if "/assets/precheck/" in line]
    again = [path(line) for line in unhashed if '" 200 ' in line and path(line) in downloaded]
    assert unhashed and again == [], again
