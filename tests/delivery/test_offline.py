"""The site offline (issue 11), as nginx serves it with its service worker (sw.js, written by
`python -m kb_build.offline`): the worker's URL revalidated on every use; after one visit every
page and the pre-check work with the network off; the first visit asks nginx for no file twice;
an update fills a new cache, never mixes two builds in one page load, and removes the old
cache; without service workers the site works as before. Never an off-origin request, a
console error or a CSP violation."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kb_build import nginx, offline, precompress

from ..browser.precheck_page import PrecheckPage
from ..browser.test_site_pages import site_pages
from .conftest import Servers
from .test_pages import watched

pytestmark = [pytest.mark.delivery, pytest.mark.browser]

OFFLINE_NOTE = "This site is available offline on this device."
UPDATE_NOTE = "A newer version of this site is ready."
FILL_TIMEOUT_MS = 120_000


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(ignore_https_errors=True)
    yield created
    created.close()


def visit_until_offline(context: BrowserContext, base: str) -> tuple[Page, object]:
    """The first visit, to the pre-check, until the footer says the site is available offline."""
    page, watch = watched(context, base)
    PrecheckPage(page, base).open()
    expect(page.locator(".kb-offline")).to_have_text(OFFLINE_NOTE, timeout=FILL_TIMEOUT_MS)
    return page, watch


def cache_names(page: Page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).sort()")


def downloaded_paths(log: Path) -> list[str]:
    """Every path nginx sent with status 200 (a 304, a revalidation, sends no file)."""
    return re.findall(r'"GET (\S+) HTTP/[\d.]+" 200 ', log.read_text())


def test_the_service_worker_is_revalidated_on_every_use(get):  # type: ignore[no-untyped-def]
    response = get("sw.js")
    assert response.status == 200
    assert response.header("Cache-Control") == "no-cache"
    assert response.header("Content-Security-Policy")


def test_after_one_visit_every_page_and_the_precheck_work_offline(
    context: BrowserContext, servers: Servers, delivered_site: Path
):
    page, watch = visit_until_offline(context, servers.http)
    context.set_offline(True)
    unreadable = {}
    for url in site_pages(delivered_site):
        response = page.goto(servers.http + url, wait_until="load")
        if response is None or response.status != 200 or not page.locator("h1").count():
            unreadable[f"/{url}"] = response.status if response else None
    assert unreadable == {}
    expect(page.locator(".kb-offline")).to_have_text(OFFLINE_NOTE)
    PrecheckPage(page, servers.http).open()
    assert watch.console_errors == [] and watch.off_origin == []


def test_the_first_visit_downloads_no_file_twice(
    browser: Browser, delivered_site: Path, tmp_path: Path
):
    with nginx.serving(delivered_site, [nginx.Listen(nginx.free_port())], run=tmp_path) as (base,):
        context = browser.new_context()
        try:
            _page, watch = visit_until_offline(context, base)
            assert watch.console_errors == [] and watch.off_origin == []
        finally:
            context.close()
    repeated = {
        path: n for path, n in Counter(downloaded_paths(tmp_path / "access.log")).items() if n > 1
    }
    # sw.js: the browser's own update check on registration and navigation.
    assert {path for path in repeated if path != "/sw.js"} == set()


def _build_b(site_a: Path, into: Path) -> Path:
    """Build B: build A with a changed page and a changed unhashed stylesheet."""
    shutil.copytree(site_a, into, copy_function=os.link)
    # Hard links are shared with build A: every file B changes is unlinked first.
    for name in ("procedures/restart/index.html", "assets/stylesheets/kb-site.css", "sw.js"):
        for copy in (f"{name}.br", f"{name}.gz"):
            (into / copy).unlink(missing_ok=True)
    for name in ("procedures/restart/index.html", "assets/stylesheets/kb-site.css"):
        path = into / name
        text = path.read_text(encoding="utf-8")
        path.unlink()
        if name.endswith(".html"):
            text = text.replace("</body>", '<p class="kb-build-b">build B</p></body>')
        else:
            text += "/* build B */"
        path.write_text(text, "utf-8")
    offline.write(into)
    precompress.precompress(into)
    return into


def test_an_update_never_mixes_builds_and_removes_the_old_cache(
    context: BrowserContext, delivered_site: Path, tmp_path: Path
):
    site = tmp_path / "site"
    shutil.copytree(delivered_site, site, copy_function=os.link)
    build_b = _build_b(delivered_site, tmp_path / "b")
    with nginx.serving(site, [nginx.Listen(nginx.free_port())], run=tmp_path / "run") as (base,):
        page, watch = visit_until_offline(context, base)
        (old_cache,) = cache_names(page)
        os.rename(site, tmp_path / "a")
        os.rename(build_b, site)

        # The same load keeps build A: the changed page and stylesheet come from A's cache.
        page.goto(base + "procedures/restart/", wait_until="load")
        expect(page.locator(".kb-offline")).to_contain_text(UPDATE_NOTE, timeout=FILL_TIMEOUT_MS)
        assert page.locator(".kb-build-b").count() == 0
        css = page.evaluate(
            "async () => (await fetch('../../assets/stylesheets/kb-site.css')).text()"
        )
        assert "build B" not in css

        page.get_by_role("button", name="Reload to update").click()
        expect(page.locator(".kb-build-b")).to_have_count(1, timeout=30_000)
        css = page.evaluate(
            "async () => (await fetch('../../assets/stylesheets/kb-site.css')).text()"
        )
        assert "build B" in css
        names = cache_names(page)
        assert old_cache not in names and len([n for n in names if n.startswith("kb-site-")]) == 1
        assert watch.console_errors == [] and watch.off_origin == []


def test_without_service_workers_the_site_works_as_before(browser: Browser, servers: Servers):
    context = browser.new_context(service_workers="block")
    try:
        page, watch = watched(context, servers.http)
        PrecheckPage(page, servers.http).open()
        page.goto(servers.http + "procedures/restart/", wait_until="load")
        expect(page.locator("h1")).to_be_visible()
        assert page.locator(".kb-offline").count() == 0
        assert watch.console_errors == [] and watch.off_origin == []
    finally:
        context.close()
