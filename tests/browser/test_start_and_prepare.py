"""The 3 a.m. path in Chromium: /start/ is one click from the home page and first in the
navigation; each of its routes ends on the right page by keyboard with JavaScript off, in at
most three activations from /; the new pages are axe-clean; and the preparation list prints on
one A4 sheet."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from cytrack_ticket import catalogue

pytestmark = pytest.mark.browser

START_LINK = "Phones or dashboards stopped? Start here"


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    """A page in a context with JavaScript disabled, as a locked-down browser would be."""
    context: BrowserContext = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_start_here_is_one_click_from_home_and_first_in_the_navigation(page: Page, site_url: str):
    page.goto(site_url)
    content = page.locator("article.md-content__inner")
    first_link = content.locator("a:not(.headerlink)").first
    expect(first_link).to_have_text(START_LINK)
    first_link.click()
    expect(page).to_have_url(site_url + "start/")
    expect(page.locator("h1")).to_have_text(re.compile("^Start here"))
    nav = page.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item")
    expect(nav.first).to_contain_text("Start here")


def _focused_text(page: Page) -> str:
    return page.evaluate("() => (document.activeElement && document.activeElement.innerText) || ''")


def activate_by_keyboard(page: Page, link_text: str) -> None:
    """Tab to the link whose text is ``link_text`` (as a keyboard user would), then Enter."""
    for _ in range(300):
        page.keyboard.press("Tab")
        if " ".join(_focused_text(page).split()) == link_text:
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"
            )
            assert outline, f"the focused link {link_text!r} shows no focus indicator"
            href = page.evaluate("() => document.activeElement.href")
            if href.split("#")[0] == page.url.split("#")[0] and "#" in href:
                page.keyboard.press("Enter")  # a jump within the page: no new document
                expect(page).to_have_url(href)
            else:
                with page.expect_navigation(wait_until="load"):
                    page.keyboard.press("Enter")
            return
    raise AssertionError(f"no link {link_text!r} reachable with Tab")


YES_FAILING = (
    "Yes: there is no dial tone, calls do not connect, or a PC or the server does not start"
)
NO_WORKING = "No: phones and PCs work, but CyTrack does not"

ROUTES = [
    pytest.param(
        [YES_FAILING], "start/#call-the-provider", "Your telephone-system provider", id="provider"
    ),
    pytest.param(
        [NO_WORKING, "No, not yet: restart CyTrack"],
        "procedures/restart/",
        "Cytrack gives you a document that outlines the restart process",
        id="restart",
    ),
    pytest.param(
        [NO_WORKING, "Yes, and CyTrack still does not work"],
        "start/#still-broken",
        "Service Voucher time",
        id="after-hours-ticket",
    ),
    pytest.param(
        ["Only dashboards or reports look wrong; calls show in CyTrack"],
        "procedures/dashboard-missing-data/",
        "Check the filters",
        id="dashboards",
    ),
    pytest.param(
        ["I cannot tell which is failing"],
        "procedures/check-phone-system-and-pc/",
        "Lift the handset",
        id="cannot-tell",
    ),
]


@pytest.mark.parametrize(("answers", "target", "shown"), ROUTES)
def test_each_route_ends_on_its_page_by_keyboard_without_javascript(
    no_js_page: Page, site_url: str, answers: list[str], target: str, shown: str
):
    page = no_js_page
    page.goto(site_url)
    # Material marks the page "js" from a script: still "no-js" proves no script ran.
    expect(page.locator("html")).to_have_class(re.compile(r"\bno-js\b"))
    activations = [START_LINK, *answers]
    assert len(activations) <= 3, "the right action must be at most three clicks from /"
    for text in activations:
        activate_by_keyboard(page, text)
    expect(page).to_have_url(site_url + target)
    fragment = target.partition("#")[2]
    if fragment:
        section = page.locator(f"[id='{fragment}']")
        expect(section).to_be_in_viewport()
        # The section's own text, up to the next heading of its level.
        text = section.evaluate(
            "h => { let t = h.innerText, n = h.nextElementSibling;"
            " while (n && n.tagName !== h.tagName) {"
            " t += ' ' + n.innerText; n = n.nextElementSibling; }"
            " return t; }"
        )
    else:
        text = page.locator("article").inner_text()
    assert shown in text


def test_the_after_hours_route_states_who_may_ask_the_settings_and_the_cost(
    no_js_page: Page, site_url: str
):
    no_js_page.goto(site_url + "start/#still-broken")
    text = " ".join(no_js_page.locator("article").inner_text().split())
    terms = catalogue.after_hours_terms()
    for part in (terms.subscription, terms.cost, terms.exclusion):
        assert " ".join(part.replace("**", "").split()) in text
    assert "set Priority to Critical and After Hours Support Request to Yes" in text


@pytest.mark.parametrize("url", ["start/", "prepare/", "after-send/"])
def test_new_pages_are_axe_clean(page: Page, site_url: str, url: str):
    # axe runs as a script in the page, so it needs JavaScript; the page's content is the same
    # without it (no script builds any of it).
    page.goto(site_url + url)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


# Printing the preparation list

# A browser's default print margins are about 1 cm; Playwright's page.pdf() uses none.
BROWSER_MARGINS = {"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"}


def test_the_preparation_list_prints_on_one_a4_page_with_every_item(page: Page, site_url: str):
    page.goto(site_url + "prepare/")
    items = page.locator(".kb-prepare > ol > li > p:first-child strong:first-child")
    headings = [" ".join(text.split()) for text in items.all_inner_texts()]
    assert len(headings) == 8, headings
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", margin=BROWSER_MARGINS, print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1, f"the list takes {len(reader.pages)} A4 pages"
    printed = " ".join((reader.pages[0].extract_text() or "").split())
    assert "Prepare before you need it" in printed
    for heading in headings:
        assert " ".join(heading.split()[:4]) in printed, heading
    assert "Start here" not in printed, "the navigation must not print"
