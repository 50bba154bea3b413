"""What the site claims: nothing it does not know stated as Cytrack's fact.

- Business hours appear only where the settings put them, or as "not stated".
- No page calls this site's restart guide "the restart document" (that is Cytrack's own).
- Every page that tells the reader to set Priority Critical and After Hours Support Request
  Yes also states the cost; each decision point repeats the cost and the exclusion.
- One way of writing the portal's labels and the two names (CyTrack, Cytrack).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from cytrack_ticket import catalogue
from kb_build import markup

from ._html import Element, article

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://site.invalid/"
RESTART_GUIDE = "procedures/restart/"

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*"
HOURS_LIKE = [
    re.compile(rf"\b{_DAY}\s*(?:to|\u2013|-)\s*{_DAY}\b"),
    re.compile(r"\b\d{1,2}:\d{2}\s*(?:to|\u2013|-)\s*\d{1,2}:\d{2}\b"),
]
SET_CRITICAL = re.compile(r"Priority\s*(?:to|=|set to)\s*Critical")
SET_YES = re.compile(r"After Hours Support Request\s*(?:to|=|set to)\s*Yes")


def plain(text: str) -> str:
    """A schema text as it reads on a page: markup removed, whitespace collapsed."""
    return " ".join(text.replace("**", "").split())


def prose(element: Element) -> str:
    """Visible text without code blocks (examples for writers are not claims)."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.tag in ("pre", "code", "script", "style", "template"):
            return
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                separator = " " if child.tag in ("li", "p", "td", "th", "div", "br", "dd") else ""
                parts.append(separator)
                walk(child)
                parts.append(separator)

    walk(element)
    return " ".join("".join(parts).split())


def content_pages(pages: dict[str, Element]) -> dict[str, Element]:
    return {url: article(page) for url, page in pages.items() if url != "404.html"}


def cost() -> str:
    return plain(catalogue.after_hours_terms().cost)


def exclusion() -> str:
    return plain(catalogue.after_hours_terms().exclusion)


def section(content: Element, heading_id: str) -> str:
    """The text of a page section: its heading and everything up to the next heading of the
    same or a higher level."""
    blocks = [child for child in content.children if isinstance(child, Element)]
    start = next(i for i, block in enumerate(blocks) if block.attrs.get("id") == heading_id)
    level = blocks[start].tag
    text = []
    for block in blocks[start:]:
        if block is not blocks[start] and block.tag in ("h1", "h2", "h3")[: int(level[1])]:
            break
        text.append(prose(block))
    return " ".join(text)


# Business hours


def test_business_hours_are_shipped_unset():
    assert catalogue.settings().business_hours is None


def test_no_page_states_business_hours_the_settings_do_not_set(pages: dict[str, Element]):
    found = {
        f"/{url}": match.group(0)
        for url, content in content_pages(pages).items()
        for pattern in HOURS_LIKE
        for match in [pattern.search(prose(content))]
        if match
    }
    assert found == {}


def test_no_source_page_types_business_hours_by_hand():
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        found += [f"{path}: {m.group(0)}" for p in HOURS_LIKE for m in p.finditer(text)]
    assert found == []


@pytest.mark.parametrize("url", ["after-hours/", "submit/", "prepare/"])
def test_pages_say_the_business_hours_are_not_stated_and_whom_to_ask(
    pages: dict[str, Element], url: str
):
    text = prose(article(pages[url]))
    assert "Cytrack's business hours are not stated in this guide" in text
    assert "Ask your account manager" in text


# The restart document is Cytrack's, not this site's guide


def _links_to_restart_guide(element: Element, page_url: str) -> list[Element]:
    base = urljoin(SITE, page_url)
    return [
        a
        for a in element.find_all("a")
        if urlsplit(urljoin(base, a.attrs.get("href", ""))).path == f"/{RESTART_GUIDE}"
    ]


_BLOCKS = ("p", "td", "dd", "dt", "h1", "h2", "h3", "h4")


def _leaf_blocks(content: Element) -> list[Element]:
    blocks = [element for element in content.iter() if element.tag in _BLOCKS]
    blocks += [
        li
        for li in content.find_all("li")
        if not any(child.tag in ("p", "ul", "ol", "div") for child in li.iter() if child is not li)
    ]
    return blocks


def test_no_link_to_the_restart_guide_calls_it_a_document(pages: dict[str, Element]):
    found = [
        f"/{url}: {a.text()}"
        for url, content in content_pages(pages).items()
        for a in _links_to_restart_guide(content, url)
        if "document" in a.text().casefold()
    ]
    assert found == []


def test_a_sentence_that_links_the_guide_calls_only_cytracks_document_the_restart_document(
    pages: dict[str, Element],
):
    """Next to a link to this site's guide, "restart document" may only be Cytrack's: "follow
    Cytrack's restart document first, or this site's restart guide" is right; "the restart
    document: [Restart CyTrack]" is the mistake."""
    found = [
        f"/{url}: {block.text()}"
        for url, content in content_pages(pages).items()
        for block in _leaf_blocks(content)
        if _links_to_restart_guide(block, url)
        for owner in re.findall(r"(\S+)\s+restart document", block.text(), flags=re.IGNORECASE)
        if owner != "Cytrack's"
    ]
    assert found == []


def test_the_restart_guide_says_cytracks_document_comes_first_and_it_is_not_that_document(
    pages: dict[str, Element],
):
    content = article(pages[RESTART_GUIDE])
    first = next(c for c in content.children if isinstance(c, Element) and c.tag != "h1")
    assert "admonition" in first.classes()
    assert (
        "Cytrack gives you a document that outlines the restart process: follow it first if "
        "you have it" in first.text()
    )
    text = prose(content)
    assert "This page is not that document" in text
    assert not re.search(r"\b(this|our) (guide|page) is (the|Cytrack's) restart document", text)
    heading = content.find("h1")
    assert heading is not None and "document" not in heading.text().casefold()


# Critical + Yes always comes with the cost


def _tells_to_set_critical_and_yes(text: str) -> bool:
    return bool(SET_CRITICAL.search(text) and SET_YES.search(text))


# The writers' page quotes the instruction as an example of how labels are written; it does
# not send a customer to ask for paid help.
NOT_FOR_CUSTOMERS = {"writers/"}


def test_every_page_that_says_set_critical_and_yes_states_the_cost(pages: dict[str, Element]):
    telling = {
        url for url, content in content_pages(pages).items()
        if url not in NOT_FOR_CUSTOMERS and _tells_to_set_critical_and_yes(prose(content))
    }  # fmt: skip
    # The check would be empty if the wording drifted: these pages must all be found.
    expected = {
        "", "start/", "after-hours/", "submit/", "precheck/", RESTART_GUIDE,
        "procedures/check-phone-system-and-pc/",
    }  # fmt: skip
    assert expected <= telling
    missing = sorted(f"/{url}" for url in telling if cost() not in prose(content_pages(pages)[url]))
    assert missing == []


def _precheck_after_hours_group(pages: dict[str, Element]) -> str:
    group = article(pages["precheck/"]).find("fieldset", id="precheck-group-after_hours")
    assert group is not None
    note = group.find("div", class_="kb-precheck__group-note")
    assert note is not None
    return prose(note)


def _submit_step_five(pages: dict[str, Element]) -> str:
    steps = article(pages["submit/"]).find("div", class_="kb-portal-steps")
    assert steps is not None
    ol = steps.find("ol")
    assert ol is not None
    items = [c for c in ol.children if isinstance(c, Element) and c.tag == "li"]
    return prose(items[4])


DECISION_POINTS = [
    pytest.param(
        lambda pages: section(article(pages[RESTART_GUIDE]), "if-this-did-not-work"),
        id="restart-if-this-did-not-work",
    ),
    pytest.param(_submit_step_five, id="submit-step-5"),
    pytest.param(_precheck_after_hours_group, id="precheck-after-hours-details"),
    pytest.param(lambda pages: section(article(pages["start/"]), "still-broken"), id="start"),
    pytest.param(
        lambda pages: section(
            article(pages["procedures/check-phone-system-and-pc/"]), "if-this-did-not-work"
        ),
        id="phone-system-check-if-this-did-not-work",
    ),
]


@pytest.mark.parametrize("text_of", DECISION_POINTS)
def test_each_decision_point_repeats_who_may_ask_the_cost_and_the_exclusion(pages, text_of):
    text = text_of(pages)
    terms = catalogue.after_hours_terms()
    assert plain(terms.subscription) in text
    assert cost() in text
    assert exclusion() in text


# Wording conventions

QUOTED_LABEL = re.compile(
    r"['\"\u2018\u201c]\s*(Support Tickets|Submit a request or incident|After Hours Support "
    r"Request|Priority|Send|Critical)\s*['\"\u2019\u201d]"
)


def test_portal_labels_are_never_quoted(pages: dict[str, Element]):
    found = [
        f"/{url}: {match.group(0)}"
        for url, content in content_pages(pages).items()
        for match in QUOTED_LABEL.finditer(prose(content))
    ]
    assert found == []


def test_portal_labels_are_bold_in_the_generated_steps():
    for step in catalogue.portal_steps()[1:3] + catalogue.portal_steps()[-1:]:
        assert re.search(r"\*\*[^*]+\*\*", step.text), step.text
    assert "<strong>Support Tickets</strong>" in markup.to_html(catalogue.portal_steps()[1].text)


def test_no_page_says_a_other(pages: dict[str, Element]):
    found = [
        f"/{url}" for url, page in pages.items() if re.search(r"\ba Other\b", page.text())
    ]
    assert found == []


# CyTrack is the product; Cytrack is the company and the names it writes that way.
MISNAMED = re.compile(
    r"CyTrack(?:'s)? (?:Support TeamViewer|Service Voucher|account manager|service agreement|"
    r"terms|staff)|Cytrack (?:client|server|dashboards?|software|call list)"
)


def test_cytrack_names_follow_the_convention(pages: dict[str, Element]):
    found = [
        f"/{url}: {match.group(0)}"
        for url, content in content_pages(pages).items()
        for match in MISNAMED.finditer(prose(content))
    ]
    assert found == []
