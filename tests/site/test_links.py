"""Internal links: every same-site href and src in every built page resolves to a file
of the built site, and every #fragment to an element id on the target page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ._html import Element

SITE = "http://site.invalid/"


def _target_file(site: Path, url: str) -> Path | None:
    path = unquote(urlsplit(url).path).removeprefix("/")
    candidate = site / path
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _references(pages: dict[str, Element]):
    for page_url, document in pages.items():
        base = urljoin(SITE, page_url)
        for element in document.iter():
            for name in ("href", "src"):
                value = element.attrs.get(name)
                if value is None or value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                    continue
                if element.attrs.get("rel") == "canonical":
                    continue  # the public address, by design absolute
                absolute = urljoin(base, value)
                if absolute.startswith(SITE):
                    yield page_url, element.tag, value, absolute


def test_every_internal_link_and_resource_resolves(built_site: Path, pages: dict[str, Element]):
    broken = [
        f"/{page}: <{tag}> {value}"
        for page, tag, value, absolute in _references(pages)
        if _target_file(built_site, absolute) is None
    ]
    assert not broken, "\n".join(broken)


def test_every_internal_fragment_names_an_element_on_its_page(
    built_site: Path, pages: dict[str, Element]
):
    ids = {
        url: {element.attrs["id"] for element in document.iter() if "id" in element.attrs}
        for url, document in pages.items()
    }
    broken = []
    for page, tag, value, absolute in _references(pages):
        fragment = urlsplit(absolute).fragment
        if tag != "a" or not fragment:
            continue
        target = urlsplit(absolute).path.removeprefix("/")
        if target not in ids:
            continue  # a file, not a page: checked by the test above
        if unquote(fragment) not in ids[target]:
            broken.append(f"/{page}: {value}")
    assert not broken, "\n".join(broken)


def test_links_are_checked_at_all(pages: dict[str, Element]):
    targets = {absolute for _, tag, _, absolute in _references(pages) if tag == "a"}
    assert urljoin(SITE, "procedures/restart/") in targets
    assert any(target.startswith(urljoin(SITE, "precheck/")) for target in targets)
