"""Finds the Chromium the browser tests drive.

Order: $CHROMIUM, then `chromium` / `chromium-browser` / `google-chrome` on PATH, then
None, which lets Playwright use its own browser (`playwright install chromium`).
Run as a module it prints the choice and exits 1 if there is none at all.
"""

from __future__ import annotations

import os
import shutil
import sys

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _playwright_has_own_browser() -> bool:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return os.path.exists(playwright.chromium.executable_path)


def main() -> int:
    executable = chromium_executable()
    if executable:
        print(executable)
        return 0
    if _playwright_has_own_browser():
        print("playwright")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
