"""`mkdocs serve` (`make serve`, the writers' live preview) under the site's
Content-Security-Policy: pages reload after a change even though MkDocs' own inline reload
script is blocked, and the pre-check works there as on the built site."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.project_copy import copy_project

from .precheck_page import PrecheckPage, complete_answers

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _serving(root: Path, tmp_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`mkdocs serve` of the project at `root` (as `make serve` runs it) on a free port."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    try:
        deadline = time.monotonic() + 60
        while "Serving on" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("mkdocs serve did not start:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[str]:
    with _serving(ROOT, tmp_path) as url:
        yield url


def test_serve_reloads_the_page_after_a_change_despite_the_csp(
    context: BrowserContext, dev_server: str
):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(dev_server + "procedures/", wait_until="load")
    expect(page.locator("script[src$='kb-livereload.js']")).to_have_count(1)
    marker = page.locator("body")
    page.evaluate("document.body.dataset.kbBeforeReload = 'yes'")
    expect(marker).to_have_attribute("data-kb-before-reload", "yes")

    (ROOT / "overrides" / "main.html").touch()  # a watched file; its content is unchanged

    expect(marker).not_to_have_attribute("data-kb-before-reload", "yes", timeout=30_000)
    # The only console error is MkDocs' own inline reload script, blocked by the CSP.
    assert all("inline script" in error for error in errors), errors


def test_built_site_has_no_live_reload_client(built_site: Path):
    for path in built_site.rglob("*.html"):
        assert "kb-livereload.js" not in path.read_text(encoding="utf-8"), path


def test_serve_serves_a_working_precheck(context: BrowserContext, dev_server: str):
    """`make serve` is the writers' preview: the pre-check must boot and check there too."""
    precheck = PrecheckPage(context.new_page(), dev_server).open("?type=dashboard")
    precheck.fill(complete_answers("dashboard") | {"missing_information": ""})
    precheck.check()

    expect(precheck.summary).to_be_visible()
    expect(precheck.inline_error("missing_information")).to_be_visible()

    precheck.set("missing_information", "The Daily Calls report shows no calls for today.")
    expect(precheck.summary).to_be_hidden()
    precheck.check()
    expect(precheck.ticket_text).to_have_value(re.compile("Daily Calls report"))


def test_serve_rebuilds_the_checker_after_an_edit_to_the_schemas(
    context: BrowserContext, tmp_path: Path
):
    """Under `make serve` the page always runs the engine on disk: an edited message in
    schemas/ reaches the browser's checker (a new wheel and lock), not only the form."""
    project = copy_project(tmp_path / "project")
    assert project.python("-m", "kb_build").returncode == 0
    edited = "Describe the missing figures: which report, which dates (edited while serving)"

    def edit(schema: dict) -> None:
        schema["properties"]["missing_information"]["x-messages"]["required"] = edited

    copy_env = {"PYTHONPATH": str(project.root / "validator")}
    with _serving(project.root, tmp_path, copy_env) as url:
        page = context.new_page()
        precheck = PrecheckPage(page, url).open("?type=dashboard")
        precheck.fill(complete_answers("dashboard") | {"missing_information": ""})
        precheck.check()
        expect(precheck.inline_error("missing_information")).not_to_contain_text(edited)

        project.edit_json("schemas/dashboard.schema.json", edit)

        deadline = time.monotonic() + 180
        while True:
            page.wait_for_timeout(2000)
            precheck.open("?type=dashboard")
            precheck.check()
            error = precheck.inline_error("missing_information")
            expect(error).to_be_visible()
            if edited in error.inner_text():
                break
            assert time.monotonic() < deadline, "the checker still runs the old engine"
