"""When the checker cannot start (a blocked worker or WebAssembly file, a tampered wheel, an
old browser, a stalled download) the pre-check says so plainly, ends in
data-state="unavailable" without hanging, and the form stays usable with the checklists.
test_precheck_integrity.py covers files that arrive but differ from the build."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from cytrack_ticket import catalogue
from kb_build.precheck_form import control_value

from .precheck_page import PrecheckPage

pytestmark = pytest.mark.browser

# Failing must be quick: no failure below may wait for the 30-second stall timeout.
FAIL_FAST_MS = 20_000


def assert_unavailable_but_usable(precheck: PrecheckPage, reason: str | re.Pattern[str]) -> None:
    page = precheck.page
    expect(precheck.form).to_have_attribute("data-state", "unavailable", timeout=FAIL_FAST_MS)
    expect(precheck.status).to_contain_text("The check could not start.")
    expect(precheck.status).to_contain_text(reason)
    expect(precheck.status).to_contain_text("You can still fill in the form")
    expect(page.locator("#precheck-progress")).to_be_hidden()
    help_link = precheck.status.get_by_role("link")
    expect(help_link).to_have_attribute("href", "#if-the-check-cannot-start")
    checklists = page.locator(
        "#if-the-check-cannot-start ~ ol a[href*='submit/#what-do-i-include']"
    )
    expect(checklists).to_have_count(1)

    # Everything typed stays, and Check ticket destroys nothing.
    url = page.url
    precheck.set("issue_type", "phone")
    precheck.set("subject", "Phones dead since 02:10")
    precheck.set("extension", "2041")
    precheck.check()
    assert page.url == url
    assert precheck.value("subject") == "Phones dead since 02:10"
    assert precheck.value("extension") == "2041"
    expect(precheck.status).to_be_focused()
    expect(precheck.summary).to_be_hidden()
    precheck.wait_until_saved("extension")


@pytest.mark.parametrize(
    ("blocked", "reason"),
    [
        pytest.param(
            "**/assets/precheck/worker.mjs", "Its files could not be loaded.", id="worker"
        ),
        pytest.param(
            "**/assets/precheck/runtime.mjs", "Its files could not be loaded.", id="runtime-list"
        ),
        pytest.param(
            "**/assets/runtime/pyodide-*/pyodide.mjs",
            "pyodide.mjs could not be downloaded.",
            id="pyodide-module",
        ),
        pytest.param(
            "**/assets/runtime/pyodide-*/pyodide.asm.wasm",
            "pyodide.asm.wasm could not be downloaded.",
            id="webassembly",
        ),
        pytest.param(
            "**/assets/runtime/stdlib-*/python_stdlib.zip",
            "python_stdlib.zip could not be downloaded.",
            id="standard-library",
        ),
        pytest.param(
            "**/assets/runtime/wheels-*/pyodide-lock.json",
            "pyodide-lock.json could not be downloaded.",
            id="lock",
        ),
    ],
)
def test_a_blocked_request_ends_in_unavailable_and_the_form_still_works(
    page: Page, site_url: str, blocked: str, reason: str
):
    page.route(blocked, lambda route: route.abort("blockedbyclient"))
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(precheck, reason)


def test_a_tampered_wheel_fails_its_integrity_check_and_never_runs(page: Page, site_url: str):
    tampered = []

    def tamper(route: Route) -> None:
        response = route.fetch()
        body = bytearray(response.body())
        body[len(body) // 2] ^= 0xFF
        tampered.append(route.request.url)
        route.fulfill(response=response, body=bytes(body))

    page.route("**/assets/runtime/wheels-*/cytrack_ticket-*.whl", tamper)
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(
        precheck,
        re.compile(
            r"cytrack_ticket-[^ ]+\.whl did not pass its integrity check:"
            r" it is not the file this site was built with\."
        ),
    )
    assert len(tampered) == 1


def test_a_browser_without_webassembly_is_told_at_once(page: Page, site_url: str):
    page.add_init_script("delete globalThis.WebAssembly")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(precheck, "it needs WebAssembly and Web Workers")
    assert not any("/assets/runtime/" in url for url in requests)


def test_a_download_that_stalls_gives_up_instead_of_hanging(page: Page, site_url: str):
    # The big downloads never arrive; the page's clock is moved past the stall timeout.
    page.clock.install()
    held = []
    for name in ("pyodide-*/pyodide.asm.wasm", "stdlib-*/python_stdlib.zip"):
        page.route(f"**/assets/runtime/{name}", lambda route: held.append(route))
    precheck = PrecheckPage(page, site_url).open(ready=False)
    expect(precheck.form).to_have_attribute("data-state", "loading")
    expect(page.locator("#precheck-progress")).to_be_visible()
    while len(held) < 2:
        page.wait_for_timeout(100)
    page.clock.fast_forward("00:31")
    assert_unavailable_but_usable(precheck, "It took too long to load.")


def test_without_javascript_the_form_is_every_question_labelled_from_the_schemas(
    browser: Browser, site_url: str
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}precheck/")
        form = page.locator("#precheck-form")
        expect(page.get_by_text("The check needs JavaScript")).to_be_visible()
        for issue_type in catalogue.issue_types():
            group = page.locator(f"[data-kb-issue-type='{issue_type}']")
            title = catalogue.type_title(issue_type)
            expect(group.get_by_role("heading")).to_have_text(f"{title}: details")
            for field in catalogue.fields(issue_type):
                controls = form.locator(f"[name='{field.key}']")
                expect(controls.first).to_be_visible()
                hint = page.locator(f"#precheck-{field.key}-hint")
                expect(hint).to_have_text(field.description)
                if field.widget in ("radios", "yes-no"):
                    fieldset = page.locator(f"[data-kb-field='{field.key}'] fieldset")
                    expect(fieldset.locator("legend").first).to_have_text(field.title)
                    expect(fieldset).to_have_attribute("aria-describedby", hint.get_attribute("id"))
                    values = [control_value(field, value) for value, _ in field.options]
                    assert [c.get_attribute("value") for c in controls.all()] == values
                else:
                    expect(form.get_by_label(field.title, exact=True)).to_have_attribute(
                        "name", field.key
                    )
                    expect(controls).to_have_attribute("aria-describedby", hint.get_attribute("id"))
        expect(page.locator("[name='occurred_at']")).to_have_attribute("type", "datetime-local")
        expect(page.locator("[data-kb-after-hours]")).to_be_visible()

        # Pressing Enter in a field (which submits a form) loses nothing and goes nowhere.
        page.locator("[name='subject']").fill("Typed without JavaScript")
        page.locator("[name='subject']").press("Enter")
        assert page.url == f"{site_url}precheck/"
        expect(page.locator("[name='subject']")).to_have_value("Typed without JavaScript")
    finally:
        context.close()
