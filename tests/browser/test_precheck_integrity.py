"""The runtime is integrity-checked: the build records the sha256 of every runtime file (runtime
.mjs) and the worker checks each one before using it. A file that differs from the build, a
WebAssembly file this browser cannot compile and a broken lock each end the start in
data-state="unavailable" with the true reason on the page, as soon as the file has arrived
(never by the 30-second stall timeout, whose reason differs), and without an uncaught page
error. Outside a secure context the browser's own Subresource Integrity check does the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kb_build.precheck_assets import RUNTIME_OUT

from .conftest import PageWatch
from .find_chromium import LAUNCH_ARGS, chromium_executable
from .precheck_page import PrecheckPage
from .runtime_files import manifest, runtime_path, serve_instead
from .test_precheck_failures import assert_unavailable_but_usable

pytestmark = pytest.mark.browser

GARBAGE_WASM = b"\x00asm\x01\x00\x00\x00" + b"\xde\xad\xbe\xef" * 1024
NOT_THE_BUILD = "did not pass its integrity check: it is not the file this site was built with."


def flipped(path: str) -> bytes:
    """The built file with one byte changed."""
    body = bytearray((RUNTIME_OUT / path).read_bytes())
    body[len(body) // 2] ^= 0xFF
    return bytes(body)


def assert_no_uncaught_error(watch: PageWatch) -> None:
    assert [error for error in watch.console_errors if error.startswith("uncaught")] == []


@pytest.mark.parametrize(
    ("folder", "name", "replacement"),
    [
        pytest.param("stdlib", "python_stdlib.zip", None, id="tampered-standard-library"),
        pytest.param("pyodide", "pyodide.asm.wasm", GARBAGE_WASM, id="garbage-webassembly"),
        pytest.param("pyodide", "pyodide.asm.mjs", None, id="tampered-runtime-module"),
        pytest.param("pyodide", "pyodide.mjs", None, id="tampered-loader"),
        pytest.param("wheels", "pyodide-lock.json", b'{"packages": {', id="broken-lock"),
    ],
)
def test_a_file_that_differs_from_the_build_is_refused_with_the_reason(
    page: Page, watch: PageWatch, site_url: str, folder: str, name: str, replacement: bytes | None
):
    path = runtime_path(folder, name)
    served = serve_instead(page, path, replacement if replacement is not None else flipped(path))
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(precheck, f"{name} {NOT_THE_BUILD}")
    assert served, f"{name} was never requested"
    assert_no_uncaught_error(watch)


def test_a_tampered_module_is_never_run(page: Page, watch: PageWatch, site_url: str):
    path = runtime_path("pyodide", "pyodide.asm.mjs")
    tampered = b'console.error("tampered code ran");\n' + (RUNTIME_OUT / path).read_bytes()
    serve_instead(page, path, tampered)
    precheck = PrecheckPage(page, site_url).open(ready=False)
    expect(precheck.form).to_have_attribute("data-state", "unavailable")
    expect(precheck.status).to_contain_text(f"pyodide.asm.mjs {NOT_THE_BUILD}")
    assert "tampered code ran" not in watch.console_errors


def test_webassembly_this_browser_cannot_compile_is_named_at_once(
    page: Page, watch: PageWatch, site_url: str
):
    # The build vouches for it, so the check passes and the compiler has the last word.
    serve_instead(page, runtime_path("pyodide", "pyodide.asm.wasm"), GARBAGE_WASM, vouched=True)
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(
        precheck, re.compile(r"This browser could not compile pyodide\.asm\.wasm \(.+\)\.")
    )
    assert_no_uncaught_error(watch)


def test_webassembly_served_with_the_wrong_type_is_named_at_once(
    page: Page, watch: PageWatch, site_url: str
):
    path = runtime_path("pyodide", "pyodide.asm.wasm")
    body = (RUNTIME_OUT / path).read_bytes()
    page.route(
        f"**/assets/runtime/{path}",
        lambda route: route.fulfill(body=body, content_type="application/octet-stream"),
    )
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(
        precheck, re.compile(r"pyodide\.asm\.wasm could not be loaded \(.*MIME type.*\)\.")
    )
    assert_no_uncaught_error(watch)


@pytest.mark.parametrize(
    ("lock", "reason"),
    [
        pytest.param(
            b'{"packages": {',
            re.compile(r"pyodide-lock\.json is not valid JSON \(.+\)\."),
            id="not-json",
        ),
        pytest.param(
            b'{"info": {}, "packages": {}}',
            "pyodide-lock.json does not list the ticket rules (cytrack-ticket).",
            id="without-the-engine",
        ),
        pytest.param(
            b"[]",
            "pyodide-lock.json does not list the ticket rules (cytrack-ticket).",
            id="not-an-object",
        ),
    ],
)
def test_a_lock_the_build_vouches_for_but_that_is_broken_is_named(
    page: Page, watch: PageWatch, site_url: str, lock: bytes, reason: str | re.Pattern[str]
):
    serve_instead(page, runtime_path("wheels", "pyodide-lock.json"), lock, vouched=True)
    precheck = PrecheckPage(page, site_url).open(ready=False)
    assert_unavailable_but_usable(precheck, reason)
    assert_no_uncaught_error(watch)


def test_every_runtime_file_checked_is_one_the_manifest_lists(page: Page, site_url: str):
    """The hashes cover what the worker downloads: nothing under assets/runtime/ is fetched
    without an entry (and so a hash) in runtime.mjs."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    PrecheckPage(page, site_url).open()
    runtime = [path.split("/assets/runtime/", 1)[1] for path in requested if "/runtime/" in path]
    listed = manifest()["files"]
    assert runtime and set(runtime) <= set(listed)
    assert manifest()["fullStdlib"] not in runtime, "the full standard library is only a fallback"


# Outside a secure context (plain HTTP on a host name other than localhost) crypto.subtle does
# not exist. Chromium maps the name to the test server, so the origin is an ordinary http one.
INSECURE_HOST = "kb-insecure.test"


@pytest.fixture
def insecure_context(browser: Browser, site_url: str) -> Iterator[tuple[BrowserContext, str]]:
    mapped = browser.browser_type.launch(
        executable_path=chromium_executable(),
        args=[*LAUNCH_ARGS, f"--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1"],
        headless=True,
    )
    context = mapped.new_context()
    try:
        yield context, f"http://{INSECURE_HOST}:{urlsplit(site_url).port}/"
    finally:
        context.close()
        mapped.close()


def test_outside_a_secure_context_the_browser_checks_the_files(
    insecure_context: tuple[BrowserContext, str],
):
    context, url = insecure_context
    page = context.new_page()
    PrecheckPage(page, url).open()  # ready
    assert page.evaluate("() => [window.isSecureContext, typeof crypto.subtle]") == [
        False,
        "undefined",
    ]

    tampered = context.new_page()
    path = runtime_path("stdlib", "python_stdlib.zip")
    serve_instead(tampered, path, flipped(path))
    precheck = PrecheckPage(tampered, url).open(ready=False)
    expect(precheck.form).to_have_attribute("data-state", "unavailable")
    expect(precheck.status).to_contain_text(f"python_stdlib.zip {NOT_THE_BUILD}")
