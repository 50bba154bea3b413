"""Site features in Chromium: printing a procedure, the palette toggle, offline search
and admonitions."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, Request, expect
from pypdf import PdfReader

from cytrack_ticket import catalogue

from .conftest import PageWatch

pytestmark = pytest.mark.browser

RESTART = "procedures/restart/"


def _pdf_text(page: Page) -> str:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    return " ".join(" ".join((sheet.extract_text() or "") for sheet in reader.pages).split())


def test_printed_procedure_has_its_title_and_numbered_steps_but_no_navigation(
    page: Page, site_url: str
):
    page.goto(site_url + RESTART)
    article = page.locator("article.md-content__inner")
    title = article.locator("h1").inner_text()
    steps = article.locator("ol > li:has-text('You should see')")
    assert steps.count() >= 5
    first_words = [
        " ".join(text.split()[:4])
        for text in steps.evaluate_all("els => els.map(e => e.innerText)")
    ]
    article_text = " ".join(article.inner_text().split())
    chrome = page.locator(
        ".md-header, .md-sidebar--primary .md-nav__link, .md-footer, .md-search, .md-skip"
    ).evaluate_all("els => els.map(e => e.textContent.replace(/\\s+/g, ' ').trim())")
    # Only chrome text that the procedure itself never says can be told apart on paper.
    chrome_only = {text for text in chrome if text and text not in article_text}
    assert chrome_only, "found no navigation text to look for"

    printed = _pdf_text(page)

    assert title in printed
    for words in first_words:
        assert words in printed, words
    assert re.search(r"(^|\s)1\.\s", printed), "step numbers are missing"
    leaked = sorted(text for text in chrome_only if text in printed)
    assert leaked == []


def test_printed_links_show_their_address(page: Page, site_url: str):
    page.goto(site_url + "submit/")
    assert f"({catalogue.settings().values['portal_url']})" in _pdf_text(page)


def test_palette_toggle_switches_scheme_and_is_remembered(page: Page, site_url: str):
    page.goto(site_url)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(site_url + RESTART)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_dark_preference_is_followed_on_first_visit(page: Page, site_url: str):
    page.emulate_media(color_scheme="dark")
    page.goto(site_url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_search_finds_teamviewer_offline_with_a_same_origin_worker(
    page: Page, watch: PageWatch, site_url: str
):
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(site_url)
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("TeamViewer", delay=20)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")
    expect(page.locator(".md-search-result mark").first).to_have_text(
        re.compile("TeamViewer", re.IGNORECASE)
    )
    fetched = [request.url for request in requests]
    assert any("/assets/javascripts/workers/search." in url for url in fetched)
    assert any(url.endswith("/search/search_index.json") for url in fetched)
    assert all(url.startswith(site_url) for url in fetched)
    assert watch.off_origin == []
    assert watch.console_errors == []


def test_admonitions_render_as_callouts_with_their_title(page: Page, site_url: str):
    page.goto(site_url + "submit/")
    warning = page.locator(".admonition.warning").first
    expect(warning).to_be_visible()
    expect(warning.locator(".admonition-title")).to_contain_text("Step 5")
    border = warning.evaluate("e => getComputedStyle(e).borderLeftStyle")
    assert border != "none"
