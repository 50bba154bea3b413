"""SITE_URL: the canonical links and sitemap.xml use the address given at build time; a build
without one has neither, and no page names a loopback address."""

from __future__ import annotations

import re
from pathlib import Path

from ..conftest import build_site
from ._html import Element, parse_file
from .conftest import html_pages


def canonical(document: Element) -> list[str]:
    return [link.attrs["href"] for link in document.find_all("link", rel="canonical")]


def test_without_site_url_no_page_has_a_canonical_link_and_there_is_no_sitemap(
    built_site: Path, pages: dict[str, Element]
):
    assert {url: canonical(page) for url, page in pages.items() if canonical(page)} == {}
    assert not (built_site / "sitemap.xml").exists()
    assert not (built_site / "sitemap.xml.gz").exists()
    # Nor anything else in a page's head (the writers' page may well mention make serve's).
    for url, page in pages.items():
        head = page.find("head")
        assert head is not None
        values = [value for element in head.iter() for value in element.attrs.values()]
        assert not [value for value in values if re.search(r"//(127\.|localhost)", value)], url


def test_with_site_url_canonical_links_and_the_sitemap_use_it(tmp_path: Path):
    site = build_site(tmp_path / "site", site_url="https://kb.example.com/support/")
    for path in html_pages(site):
        if path.name == "404.html":
            continue
        page = path.relative_to(site).as_posix().removesuffix("index.html")
        assert canonical(parse_file(path)) == [f"https://kb.example.com/support/{page}"], path
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://kb.example.com/support/precheck/" in locations
    assert all(location.startswith("https://kb.example.com/support/") for location in locations)
    assert (site / "sitemap.xml.gz").exists()
