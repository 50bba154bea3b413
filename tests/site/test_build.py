"""The strictly built site: its pages exist, and every page carries the
Content-Security-Policy and nothing that policy would block."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._html import Element

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)

REQUIRED_PAGES = [
    pytest.param("", id="home"),
    pytest.param("after-hours/", id="after-hours"),
    pytest.param("submit/", id="submit"),
    pytest.param("precheck/", id="precheck"),
    pytest.param("procedures/", id="procedures-index"),
    pytest.param("procedures/restart/", id="restart-guide"),
    pytest.param("writers/", id="writers"),
]


@pytest.mark.parametrize("url", REQUIRED_PAGES)
def test_strict_build_publishes_the_page_at_its_fixed_url(pages: dict[str, Element], url: str):
    assert url in pages, f"/{url} is missing from the strict build"


def test_at_least_three_procedures_besides_the_restart_guide(pages: dict[str, Element]):
    procedures = [
        url
        for url in pages
        if url.startswith("procedures/") and url not in ("procedures/", "procedures/restart/")
    ]
    assert len(procedures) >= 3, procedures


def test_snippet_sources_are_not_published(built_site: Path):
    assert not (built_site / "snippets").exists()


def test_every_page_carries_the_content_security_policy(pages: dict[str, Element]):
    for url, document in pages.items():
        metas = document.find_all("meta", http_equiv="Content-Security-Policy")
        assert [meta.attrs["content"] for meta in metas] == [CSP], url
        head = document.find("head")
        assert head is not None
        first_resource = next(
            index
            for index, element in enumerate(head.iter())
            if element.tag in ("script", "style") or element.attrs.get("rel") == "stylesheet"
        )
        csp_position = next(
            index for index, element in enumerate(head.iter()) if element is metas[0]
        )
        assert csp_position < first_resource, f"/{url}: the policy must precede every resource"


def test_no_page_has_inline_script_or_style(pages: dict[str, Element]):
    for url, document in pages.items():
        for script in document.find_all("script"):
            is_data = script.attrs.get("type") == "application/json"
            assert "src" in script.attrs or is_data, f"/{url}: inline script {script.attrs}"
        assert not document.find_all("style"), f"/{url}: <style> element"
        styled = [element.tag for element in document.iter() if "style" in element.attrs]
        assert not styled, f"/{url}: style attributes on {styled}"
        handlers = [
            (element.tag, name)
            for element in document.iter()
            for name in element.attrs
            if name.startswith("on")
        ]
        assert not handlers, f"/{url}: inline event handlers {handlers}"


def test_no_page_references_another_origin_for_a_resource(pages: dict[str, Element]):
    for url, document in pages.items():
        for element in document.iter():
            if element.tag == "a" or element.attrs.get("rel") == "canonical":
                continue  # links to the portal, and the canonical address, load nothing
            for name in ("src", "href"):
                value = element.attrs.get(name, "")
                assert not value.startswith(("http:", "https:", "//")), (
                    f"/{url}: <{element.tag} {name}={value!r}> would leave the origin"
                )
