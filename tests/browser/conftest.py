"""Chromium fixtures: the built site served on loopback, and pages that record what
leaves the origin and every console error. The session's Chromium (`browser`) is in
tests/conftest.py, shared with the delivery layer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
)

from .static_site import serve


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site, served by a static server like any static host."""
    with serve(built_site) as url:
        yield url


@dataclass
class PageWatch:
    """What a page did that a test may forbid: off-origin requests and console errors."""

    origin: str
    off_origin: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.off_origin.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context (empty cache and storage) per test."""
    created = browser.new_context()
    yield created
    created.close()


@pytest.fixture
def watch(site_url: str) -> PageWatch:
    parts = urlsplit(site_url)
    return PageWatch(origin=f"{parts.scheme}://{parts.netloc}")


@pytest.fixture
def page(context: BrowserContext, watch: PageWatch, site_url: str) -> Page:
    """A page whose off-origin requests are recorded and blocked, as they would fail offline."""
    return watched_page(context, watch, site_url)


@pytest.fixture
def page_in_zone(
    browser: Browser, watch: PageWatch, site_url: str
) -> Iterator[Callable[..., Page]]:
    """Opens watched pages in a fresh context whose clock runs in an IANA time zone, as a
    browser there does: ``page_in_zone("America/New_York", permissions=[...])``."""
    contexts: list[BrowserContext] = []

    def open_page(zone: str, *, permissions: tuple[str, ...] = ()) -> Page:
        created = browser.new_context(timezone_id=zone)
        contexts.append(created)
        if permissions:
            created.grant_permissions(list(permissions), origin=site_url.rstrip("/"))
        return watched_page(created, watch, site_url)

    yield open_page
    for created in contexts:
        created.close()


def watched_page(context: BrowserContext, watch: PageWatch, site_url: str) -> Page:
    """A new page in ``context`` whose off-origin requests ``watch`` records and blocks."""
    created = context.new_page()
    created.on("request", watch.on_request)
    created.on("console", watch.on_console)
    created.on("pageerror", watch.on_page_error)

    def block_off_origin(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(site_url) or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            route.abort()

    created.route("**/*", block_off_origin)
    return created
