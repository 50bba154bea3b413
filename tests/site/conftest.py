"""Fixtures for the built-site tests: the pages of the strictly built site, parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._html import Element, parse_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "procedures"


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (404.html included)."""
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, Element]:
    """Every built page by its URL path below the site root, e.g. "submit/" or "404.html"."""
    parsed = {}
    for path in html_pages(built_site):
        relative = path.relative_to(built_site).as_posix()
        url = relative.removesuffix("index.html") if path.name == "index.html" else relative
        parsed[url] = parse_file(path)
    return parsed
