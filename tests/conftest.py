"""Fixtures shared by every layer: the strictly built site, and the session's Chromium (one
Playwright per session, for the browser and the delivery layers)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]


def build_site(out: Path, *, site_url: str | None = None) -> Path:
    """`mkdocs build --strict` into `out`, as `make site` builds it, with SITE_URL as given
    (unset by default, whatever the environment says)."""
    env = {name: value for name, value in os.environ.items() if name != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}")
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per test run, without SITE_URL."""
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, headless, as tests/browser/find_chromium.py finds it."""
    from playwright.sync_api import sync_playwright

    from .browser.find_chromium import LAUNCH_ARGS, chromium_executable

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_executable(), args=LAUNCH_ARGS, headless=True
        )
        yield launched
        launched.close()
