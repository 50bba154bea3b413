"""Every built page in Chromium: nothing leaves the origin, no console error (CSP
violations included), and axe-core finds no accessibility violation, in both palettes."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .conftest import PageWatch

pytestmark = pytest.mark.browser

# The pre-check page boots Pyodide in a worker; wait until it is ready (or has said it
# cannot start) so errors during start-up are seen too.
_SETTLED = "[data-state]:not([data-state='loading'])"


def site_pages(built_site: Path) -> list[str]:
    """Every page's URL path: each index.html as its directory, plus 404.html."""
    urls = []
    for path in sorted(built_site.rglob("*.html")):
        relative = path.relative_to(built_site).as_posix()
        urls.append(relative.removesuffix("index.html") if path.name == "index.html" else relative)
    assert "" in urls and "procedures/restart/" in urls
    return urls


def open_page(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    if page.locator("[data-state]").count():
        page.locator(_SETTLED).first.wait_for(timeout=120_000)


def test_every_page_loads_without_off_origin_requests_or_console_errors(
    page: Page, watch: PageWatch, site_url: str, built_site: Path
):
    problems = {}
    for url in site_pages(built_site):
        seen_requests, seen_errors = len(watch.off_origin), len(watch.console_errors)
        open_page(page, site_url + url)
        found = watch.off_origin[seen_requests:] + watch.console_errors[seen_errors:]
        if found:
            problems[f"/{url}"] = found
    assert problems == {}


def _axe_violations(page: Page, site_url: str, urls: list[str]) -> dict[str, str]:
    axe = Axe()
    found = {}
    for url in urls:
        open_page(page, site_url + url)
        results = axe.run(page)
        if results.violations_count:
            found[f"/{url}"] = results.generate_report()
    return found


def test_axe_finds_no_violations_on_any_page(page: Page, site_url: str, built_site: Path):
    violations = _axe_violations(page, site_url, site_pages(built_site))
    assert violations == {}, "\n\n".join(f"{url}\n{report}" for url, report in violations.items())


def test_axe_finds_no_violations_on_any_page_in_the_dark_palette(
    page: Page, site_url: str, built_site: Path
):
    page.goto(site_url)
    page.locator("label[for='__palette_1']").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    violations = _axe_violations(page, site_url, site_pages(built_site))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert violations == {}, "\n\n".join(f"{url}\n{report}" for url, report in violations.items())
