"""A module missing from the trimmed standard library never gives a wrong result: the worker
notices the import, starts again on Pyodide's full standard library, and every check then gives
exactly what the engine gives on CPython. (Whether the trimmed one lacks anything on the real
corpus is the parity test's business.)"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from cytrack_ticket import check_json
from kb_build import stdlib
from kb_build.precheck_assets import RUNTIME_OUT

from .precheck_page import PrecheckPage, complete_answers
from .runtime_files import manifest, runtime_path, serve_instead
from .test_precheck_parity import FIXTURES
from .worker_runs import run_in_worker

pytestmark = pytest.mark.browser


def without(module: str) -> bytes:
    """The trimmed standard library as a build that missed `module` would have made it: without
    its bytecode, and with it among the modules left out."""
    built = zipfile.ZipFile(RUNTIME_OUT / runtime_path("stdlib", "python_stdlib.zip"))
    gone = {module.replace(".", "/") + suffix for suffix in (".pyc", "/__init__.pyc")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in built.infolist():
            if info.filename in gone:
                continue
            data = built.read(info)
            if info.filename == stdlib.OMITTED_FILE:
                data = b"".join(sorted([*data.splitlines(keepends=True), f"{module}\n".encode()]))
            copy.writestr(info, data)
    assert len(copy.infolist()) == len(built.infolist()) - 1
    return out.getvalue()


def engine_module() -> str:
    """A module that `import cytrack_ticket` imports, and Pyodide's start does not."""
    imported_by_engine = stdlib.read_record()["engine"]
    assert imported_by_engine, "stdlib_modules.txt records no module for the engine's import"
    return imported_by_engine[-1]


def test_a_module_missing_from_the_trimmed_standard_library_loads_the_full_one(
    page: Page, site_url: str
):
    module = engine_module()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    serve_instead(page, runtime_path("stdlib", "python_stdlib.zip"), without(module), vouched=True)
    precheck = PrecheckPage(page, site_url).open()

    now = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
    drafts = stdlib.fixture_texts()
    in_browser, notices = run_in_worker(page, drafts, now)
    assert in_browser == [check_json(text, now) for text in drafts]
    assert notices == [{"type": "notice", "code": "full-stdlib", "modules": [module]}]
    full = manifest()["fullStdlib"]
    assert any(url.endswith(f"/assets/runtime/{full}") for url in requested)

    # The page's own checker, started on the same files, checks too.
    precheck.fill(complete_answers("phone"))
    precheck.check()
    expect(precheck.result).to_be_visible()
    expect(precheck.ticket_text).to_have_value(re.compile("Ann Lee"))
