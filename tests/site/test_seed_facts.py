"""Every fact of the seed (issue #3) and every other statement of Cytrack's that the site
relies on (issue #8) is on the page where a reader needs it, in Cytrack's own words."""

from __future__ import annotations

import pytest

from cytrack_ticket import catalogue

from ._html import Element, article

# Values a site sets in schemas/settings.json: read, never pinned.
SETTINGS = catalogue.settings().values
PORTAL_URL = SETTINGS["portal_url"]

# (page URL, phrase): phrases compare case-insensitively, whitespace collapsed.
SEED_FACTS = [
    # After Hours Assurance Service terms
    pytest.param("after-hours/", "optional annual subscription", id="optional-annual-subscription"),
    pytest.param("after-hours/", "Issue Resolution Service", id="issue-resolution-service"),
    pytest.param("after-hours/", "24 hours a day, seven days a week", id="24-hours-7-days"),
    pytest.param("after-hours/", "telephone and remote connection", id="telephone-and-remote"),
    pytest.param("after-hours/", "telephony integrated with CyTrack", id="on-prem-telephony"),
    pytest.param(
        "after-hours/",
        "resetting the software due to TAPI CTI availability is not covered",
        id="tapi-cti-reset-not-covered",
    ),
    pytest.param(
        "after-hours/",
        "If the telephone system or PC hardware malfunctions and needs a reset",
        id="malfunction-needs-reset",
    ),
    pytest.param("after-hours/", "restart document", id="restart-document"),
    pytest.param(
        "after-hours/",
        "Resolve telephone-system and PC-hardware issues with those providers first",
        id="providers-first",
    ),
    pytest.param(
        "after-hours/",
        "should first resolve them with those providers",
        id="providers-first-should",
    ),
    pytest.param("after-hours/", "Cytrack Support TeamViewer", id="teamviewer"),
    pytest.param(
        "after-hours/",
        "must maintain internet access via the Cytrack Support TeamViewer system",
        id="teamviewer-must-maintain-internet-access",
    ),
    pytest.param(
        "after-hours/",
        "Cytrack gives you a document that outlines the restart process",
        id="restart-document-is-cytracks",
    ),
    # The service's names as Cytrack writes them
    pytest.param(
        "after-hours/", "24/7 Premium Cloud Support Service", id="name-premium-cloud-support"
    ),
    pytest.param("after-hours/", "After Hours Assurance Service", id="name-after-hours-assurance"),
    pytest.param("after-hours/", "Issue Resolution Service", id="name-issue-resolution"),
    # After Send
    pytest.param("after-send/", "contact you as soon as possible", id="contact-asap"),
    pytest.param("after-hours/", "contact you as soon as possible", id="terms-contact-asap"),
    pytest.param("submit/", "contact you as soon as possible", id="submit-contact-asap"),
    pytest.param("after-hours/", SETTINGS["after_hours_rate"], id="double-rate"),
    pytest.param("after-hours/", f"minimum of {SETTINGS['after_hours_minimum']}", id="minimum"),
    pytest.param("after-hours/", "Cytrack Service Vouchers", id="service-vouchers"),
    pytest.param("after-hours/", "20 minutes", id="worked-example-short-call"),
    pytest.param("after-hours/", "2 hours", id="worked-example-voucher-time"),
    # How to submit: the portal's six steps in the seed's own words
    pytest.param("submit/", PORTAL_URL, id="portal-address"),
    pytest.param("submit/", "Support Tickets", id="support-tickets"),
    pytest.param("submit/", "Submit a request or incident", id="submit-a-request"),
    pytest.param("submit/", "After Hours Support Request", id="after-hours-field"),
    pytest.param("submit/", "Critical", id="priority-critical"),
    pytest.param("submit/", "Send", id="send"),
    # Home: the after-hours rule up front
    pytest.param("", "Priority to Critical", id="home-priority-critical"),
    pytest.param("", "After Hours Support Request to Yes", id="home-after-hours-yes"),
    # Restart guide: Cytrack's document first, then its required parts
    pytest.param(
        "procedures/restart/",
        "Cytrack gives you a document that outlines the restart process",
        id="restart-cytracks-document-first",
    ),
    pytest.param("procedures/restart/", "When do I use this?", id="restart-when"),
    pytest.param("procedures/restart/", "When do I not use this?", id="restart-when-not"),
    pytest.param("procedures/restart/", "Call your telephone-system provider", id="restart-call"),
    pytest.param("procedures/restart/", "Before you start", id="restart-before"),
    pytest.param("procedures/restart/", "You should see", id="restart-what-you-see"),
    pytest.param("procedures/restart/", "How do I know it worked?", id="restart-confirm"),
    pytest.param("procedures/restart/", "If this did not work", id="restart-if-not"),
    # Writers: the template and the live preview
    pytest.param("writers/", "procedure-template.md", id="writers-template"),
    pytest.param("writers/", "make serve", id="writers-make-serve"),
]


def _text(pages: dict[str, Element], url: str) -> str:
    return article(pages[url]).text().casefold()


@pytest.mark.parametrize(("url", "phrase"), SEED_FACTS)
def test_seed_fact_is_stated_on_its_page(pages: dict[str, Element], url: str, phrase: str):
    assert " ".join(phrase.casefold().split()) in _text(pages, url)


def _links(pages: dict[str, Element], url: str) -> list[str]:
    return [a.attrs.get("href", "") for a in article(pages[url]).find_all("a")]


@pytest.mark.parametrize(
    ("url", "target"),
    [
        pytest.param("", "start/", id="home-to-start"),
        pytest.param("", "procedures/restart/", id="home-to-restart"),
        pytest.param("", "precheck/", id="home-to-precheck"),
        pytest.param("", "submit/", id="home-to-submit"),
        pytest.param("", "after-hours/", id="home-to-terms"),
        pytest.param("after-hours/", "../procedures/restart/", id="terms-to-restart-guide"),
        pytest.param("after-hours/", "../after-send/", id="terms-to-after-send"),
        pytest.param("submit/", "../after-send/", id="submit-to-after-send"),
        pytest.param("start/", "../procedures/restart/", id="start-to-restart"),
        pytest.param("submit/", "../precheck/", id="submit-to-precheck"),
        pytest.param("procedures/restart/", "../../precheck/?type=phone", id="restart-to-precheck"),
    ],
)
def test_page_links_where_the_reader_goes_next(pages: dict[str, Element], url: str, target: str):
    assert target in _links(pages, url)


def _first_admonition(element: Element) -> Element | None:
    return element.find("div", class_="admonition")


def test_home_shows_the_after_hours_rule_before_anything_else(pages: dict[str, Element]):
    content = article(pages[""])
    first = _first_admonition(content)
    assert first is not None and first.classes() & {"warning", "danger"}
    text = first.text()
    assert "Priority to Critical" in text and "After Hours Support Request to Yes" in text
    blocks = [child for child in content.children if isinstance(child, Element)]
    assert blocks.index(first) <= 2, "the rule must come right after the heading"


def test_submit_lists_six_portal_steps_with_step_five_as_a_warning(pages: dict[str, Element]):
    steps = next(
        ol for ol in article(pages["submit/"]).find_all("ol") if PORTAL_URL in ol.text()
    )
    items = [child for child in steps.children if isinstance(child, Element) and child.tag == "li"]
    assert len(items) == 6
    assert [a.attrs["href"] for a in items[0].find_all("a")] == [PORTAL_URL]
    portal_labels = [(1, "Support Tickets"), (2, "Submit a request or incident"), (5, "Send")]
    for number, phrase in portal_labels:
        assert phrase in items[number].text()
    warning = _first_admonition(items[4])
    assert warning is not None and warning.classes() & {"warning", "danger"}
    assert "Critical" in warning.text() and "After Hours Support Request" in warning.text()
    assert "Yes" in warning.text()


def test_restart_guide_steps_are_numbered_and_each_says_what_you_should_see(
    pages: dict[str, Element],
):
    content = article(pages["procedures/restart/"])
    step_lists = [ol for ol in content.find_all("ol") if "You should see" in ol.text()]
    assert step_lists, "no numbered steps with 'You should see'"
    for steps in step_lists:
        items = [c for c in steps.children if isinstance(c, Element) and c.tag == "li"]
        assert len(items) >= 2
        for item in items:
            assert "You should see" in item.text(), item.text()[:80]
