"""The pre-check's runtime as the browser tests see it: where each file is (the build's manifest,
build/precheck/runtime.json, for the site the tests built) and serving a file other than the
one the build made, optionally with a runtime.mjs that vouches for it, as a build of that file
would have."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import PurePosixPath
from typing import Any

from playwright.sync_api import Page, Route

from kb_build import precheck_assets

# As deploy/nginx/ serves them; fulfilled without asking the server, which the browser may reach
# by a name only it knows.
TYPES = {
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".json": "application/json",
}


def manifest() -> dict[str, Any]:
    runtime = precheck_assets.manifest()
    assert runtime is not None, "the pre-check runtime is not built: run python -m kb_build"
    return runtime


def runtime_path(folder_kind: str, name: str) -> str:
    """The path below assets/runtime/ of file `name` in the folder of `folder_kind`."""
    (path,) = [
        path
        for path in manifest()["files"]
        if path.startswith(f"{folder_kind}-") and path.endswith(f"/{name}")
    ]
    return path


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def serve_instead(page: Page, path: str, body: bytes, *, vouched: bool = False) -> list[str]:
    """Serves `body` for the runtime file at `path`; with `vouched`, runtime.mjs carries its
    hash, so only what comes after the integrity check can object to it. Returns the URLs
    served, as they are requested."""
    served: list[str] = []

    def replace(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(body=body, content_type=TYPES[PurePosixPath(path).suffix])

    page.route(f"**/assets/runtime/{path}", replace)
    if vouched:
        original = manifest()["files"][path]["integrity"]
        text = precheck_assets.MANIFEST_MJS.read_text(encoding="utf-8")
        assert text.count(json.dumps(original)) == 1
        vouching = text.replace(original, sri(body))
        page.route(
            "**/assets/precheck/runtime.mjs",
            lambda route: route.fulfill(body=vouching, content_type=TYPES[".mjs"]),
        )
    return served
