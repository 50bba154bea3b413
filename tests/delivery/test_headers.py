"""What nginx sends, by HTTP request: Brotli when accepted, else gzip, else the file; the types
browsers need; Cache-Control by name; the security headers on every kind of response (the
add_header inheritance trap would drop them from some); HSTS over HTTPS only; the site's 404
page; and nothing compressed on the fly."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

from kb_build import precheck_assets

from ..site._html import parse_file
from .conftest import Response, Servers, fetch

pytestmark = pytest.mark.delivery

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# What only a header can say, added to the <meta> policy.
HEADER_ONLY = {
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
}


def runtime(name: str, folder: str) -> str:
    """The URL path of a runtime file, e.g. runtime("pyodide.asm.wasm", "pyodide")."""
    files = precheck_assets.manifest()["files"]
    (path,) = [p for p in files if p.startswith(f"{folder}-") and p.endswith(f"/{name}")]
    return f"assets/runtime/{path}"


def material_bundle(site: Path) -> str:
    (bundle,) = (site / "assets" / "javascripts").glob("bundle.*.min.js")
    return bundle.relative_to(site).as_posix()


# (path or a function of the site, Content-Type, Cache-Control): one of each kind of response.
def kinds(site: Path) -> dict[str, tuple[str, str, str]]:
    return {
        "home page": ("", "text/html; charset=utf-8", REVALIDATE),
        "pre-check page": ("precheck/", "text/html; charset=utf-8", REVALIDATE),
        "hashed WebAssembly": (
            runtime("pyodide.asm.wasm", "pyodide"),
            "application/wasm",
            IMMUTABLE,
        ),
        "hashed module": (
            runtime("pyodide.asm.mjs", "pyodide"),
            "text/javascript; charset=utf-8",
            IMMUTABLE,
        ),
        "hashed standard library": (
            runtime("python_stdlib.zip", "stdlib"),
            "application/zip",
            IMMUTABLE,
        ),
        "hashed lock": (
            runtime("pyodide-lock.json", "wheels"),
            "application/json; charset=utf-8",
            IMMUTABLE,
        ),
        "hashed wheel": (
            runtime("cytrack_ticket-0.1.0-py3-none-any.whl", "wheels"),
            "application/zip",
            IMMUTABLE,
        ),
        "Material's hashed bundle": (
            material_bundle(site),
            "text/javascript; charset=utf-8",
            IMMUTABLE,
        ),
        "our unhashed module": (
            "assets/precheck/worker.mjs",
            "text/javascript; charset=utf-8",
            REVALIDATE,
        ),
        "the runtime's list": (
            "assets/precheck/runtime.mjs",
            "text/javascript; charset=utf-8",
            REVALIDATE,
        ),
        "stylesheet": ("assets/stylesheets/kb-site.css", "text/css; charset=utf-8", REVALIDATE),
        "search index": (
            "search/search_index.json",
            "application/json; charset=utf-8",
            REVALIDATE,
        ),
        "image": ("assets/images/favicon.png", "image/png", REVALIDATE),
    }


KINDS = [
    "home page",
    "pre-check page",
    "hashed WebAssembly",
    "hashed module",
    "hashed standard library",
    "hashed lock",
    "hashed wheel",
    "Material's hashed bundle",
    "our unhashed module",
    "the runtime's list",
    "stylesheet",
    "search index",
    "image",
]


def csp(value: str) -> dict[str, str]:
    directives = [part.strip().split(None, 1) for part in value.split(";") if part.strip()]
    return {name: rest for name, rest in directives}


def assert_security_headers(response: Response, *, https: bool = False) -> None:
    for name, value in SECURITY.items():
        assert response.header(name) == value, name
    policy = csp(response.header("Content-Security-Policy") or "")
    assert policy["frame-ancestors"] == "'none'"
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    permissions = response.header("Permissions-Policy") or ""
    assert re.fullmatch(r"([a-z-]+=\(\), )*[a-z-]+=\(\)", permissions), permissions
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(
        re.findall(r"([a-z-]+)=", permissions)
    )
    hsts = response.header("Strict-Transport-Security")
    if https:
        assert hsts == "max-age=63072000; includeSubDomains"
    else:
        assert hsts is None, "HSTS belongs to HTTPS responses only"


def decoded(response: Response) -> bytes:
    encoding = response.header("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.body)
    if encoding == "gzip":
        return gzip.decompress(response.body)
    assert encoding is None, encoding
    return response.body


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_response_has_its_type_cache_policy_and_every_security_header(
    get, delivered_site: Path, kind: str
):
    path, content_type, cache_control = kinds(delivered_site)[kind]
    response = get(path, headers={"Accept-Encoding": "br, gzip"})
    assert response.status == 200
    assert response.header("Content-Type") == content_type
    assert response.header("Cache-Control") == cache_control
    assert_security_headers(response)
    assert response.header("Server") == "nginx", "no version number"


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        pytest.param("br, gzip, deflate", "br", id="brotli-first"),
        pytest.param("gzip, deflate, br, zstd", "br", id="brotli-when-listed-anywhere"),
        pytest.param("gzip, deflate", "gzip", id="gzip-without-brotli"),
        pytest.param("identity", None, id="neither"),
        pytest.param(None, None, id="no-accept-encoding"),
    ],
)
@pytest.mark.parametrize(
    "kind", ["pre-check page", "hashed WebAssembly", "hashed standard library", "stylesheet"]
)
def test_precompressed_copies_are_sent_by_what_the_browser_accepts(
    get, delivered_site: Path, kind: str, accept: str | None, encoding: str | None
):
    path = kinds(delivered_site)[kind][0]
    response = get(path, headers={"Accept-Encoding": accept} if accept else {})
    assert response.status == 200
    assert response.header("Content-Encoding") == encoding
    assert response.header("Vary") == "Accept-Encoding"
    original = delivered_site / (path + "index.html" if path.endswith("/") else path)
    assert decoded(response) == original.read_bytes()
    if encoding:
        suffix = ".br" if encoding == "br" else ".gz"
        assert response.body == original.with_name(original.name + suffix).read_bytes()


def test_nothing_is_compressed_on_the_fly(get, delivered_site: Path):
    # A text file without precompressed copies is sent as it is, even to a Brotli browser.
    (delivered_site / "on-the-fly.txt").write_text("plain text " * 500, encoding="utf-8")
    try:
        response = get("on-the-fly.txt", headers={"Accept-Encoding": "br, gzip"})
        assert response.status == 200
        assert response.header("Content-Encoding") is None
        assert len(response.body) == 5500
    finally:
        (delivered_site / "on-the-fly.txt").unlink()


def test_the_webassembly_is_brotli_compressed_to_its_floor(get, delivered_site: Path):
    path = kinds(delivered_site)["hashed WebAssembly"][0]
    response = get(path, headers={"Accept-Encoding": "br"})
    size = (delivered_site / path).stat().st_size
    assert len(response.body) < 0.3 * size  # 2.74 of 9.60 MB with Pyodide 314.0.7


@pytest.mark.parametrize(
    "path", ["no-such-page/", "procedures/no-such-procedure/", "assets/runtime/pyodide-0/x.wasm"]
)
def test_unknown_paths_get_the_sites_404_page_with_every_header(
    get, delivered_site: Path, path: str
):
    response = get(path, headers={"Accept-Encoding": "br"})
    assert response.status == 404
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert decoded(response) == (delivered_site / "404.html").read_bytes()
    assert response.header("Cache-Control") == REVALIDATE
    assert_security_headers(response)


def test_a_directory_without_its_slash_is_redirected_on_the_same_origin(get):
    response = get("precheck")
    assert response.status == 301
    assert response.header("Location") == "/precheck/"
    assert_security_headers(response)


def test_a_dot_file_is_never_served(get, delivered_site: Path):
    (delivered_site / ".secret").write_text("not for the web", encoding="utf-8")
    try:
        assert get(".secret").status == 404
    finally:
        (delivered_site / ".secret").unlink()


def test_revalidation_answers_304_with_every_header(get):
    first = get("precheck/", headers={"Accept-Encoding": "br"})
    again = get(
        "precheck/",
        headers={"Accept-Encoding": "br", "If-None-Match": first.header("ETag") or ""},
    )
    assert again.status == 304
    assert again.body == b""
    assert again.header("Cache-Control") == REVALIDATE
    assert_security_headers(again)


def test_the_header_policy_is_the_meta_policy_plus_what_only_a_header_can_say(
    get, delivered_site: Path
):
    (meta,) = parse_file(delivered_site / "index.html").find_all(
        "meta", http_equiv="Content-Security-Policy"
    )
    in_meta = csp(meta.attrs["content"])
    in_header = csp(get("").header("Content-Security-Policy") or "")
    assert in_header == in_meta | HEADER_ONLY


@pytest.mark.parametrize("kind", ["home page", "hashed WebAssembly", "stylesheet"])
def test_https_responses_add_hsts(servers: Servers, get, delivered_site: Path, kind: str):
    path, content_type, cache_control = kinds(delivered_site)[kind]
    response = get(path, base=servers.https, headers={"Accept-Encoding": "br"})
    assert response.status == 200
    assert response.header("Content-Encoding") == "br"
    assert response.header("Content-Type") == content_type
    assert response.header("Cache-Control") == cache_control
    assert_security_headers(response, https=True)


def test_https_404_has_hsts_too(servers: Servers, get):
    response = get("no-such-page/", base=servers.https)
    assert response.status == 404
    assert_security_headers(response, https=True)


def test_plain_http_of_the_production_config_redirects_to_https(servers: Servers):
    response = fetch(servers.redirect + "precheck/?type=phone", headers={"Host": "kb.test"})
    assert response.status == 301
    assert response.header("Location") == "https://kb.test/precheck/?type=phone"
    assert response.header("Strict-Transport-Security") is None
    assert response.header("Server") == "nginx"
