"""The site offline, the post-build step before precompression: writes ``site/sw.js``, the service
worker (validator/kb_build/service_worker.js, whose header says how it works), with the build's
file list, and switches on its registration in ``site/assets/javascripts/kb-offline.js``.

    python -m kb_build.offline site/

`make site`, `make preview`, the delivery tests and the benchmarks run it; `mkdocs serve` never
does, so writers' pages are never served from a cache (the script then removes any worker a
built site left on the same address). The list holds every file of the built site with its
sha256, except the .br/.gz copies (nginx chooses those), source maps, the worker itself, and
Pyodide's full standard library (a fallback the pre-check fetches only when the trimmed one
misses a module). The build ID, which names the worker's cache, is a hash of that list: any
changed file makes a new build, and the browser a new worker.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import precheck_assets

TEMPLATE = Path(__file__).with_name("service_worker.js")
WORKER_NAME = "sw.js"
REGISTRATION = Path("assets/javascripts/kb-offline.js")
# The line kb-offline.js carries in docs/ (and so under `mkdocs serve`): no worker.
REGISTRATION_OFF = 'var SERVICE_WORKER = "";'
REGISTRATION_ON = f'var SERVICE_WORKER = "{WORKER_NAME}";'
SKIPPED_SUFFIXES = frozenset({".br", ".gz", ".map"})
BUILD_DIGITS = 16


def _skipped(site: Path) -> set[Path]:
    skipped = {site / WORKER_NAME}
    runtime = precheck_assets.manifest()
    if runtime:
        skipped.add(site / "assets" / "runtime" / runtime["fullStdlib"])
    return skipped


def _key(relative: str) -> str:
    """The URL path (relative to the site's root) a file is asked for by."""
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


def file_list(site: Path) -> list[list[str]]:
    """[[path relative to the site's root, sha256 hex], ...] of every file the worker keeps."""
    skipped = _skipped(site)
    files = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in SKIPPED_SUFFIXES or path in skipped:
            continue
        relative = path.relative_to(site).as_posix()
        files.append([_key(relative), hashlib.sha256(path.read_bytes()).hexdigest()])
    return files


def build_id(files: list[list[str]]) -> str:
    text = json.dumps(files, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:BUILD_DIGITS]


def write(site: Path) -> str:
    """Switches on the registration, then writes site/sw.js; returns the build ID."""
    registration = site / REGISTRATION
    script = registration.read_text(encoding="utf-8")
    if REGISTRATION_ON not in script:
        if script.count(REGISTRATION_OFF) != 1:
            raise SystemExit(f"kb_build.offline: {registration} lacks the line {REGISTRATION_OFF}")
        # A new file, not a rewrite: the site may share its files with another copy (hard links).
        registration.unlink()
        registration.write_text(script.replace(REGISTRATION_OFF, REGISTRATION_ON), "utf-8")
    files = file_list(site)
    build = build_id(files)
    worker = TEMPLATE.read_text(encoding="utf-8")
    for marker, value in (("__KB_BUILD__", build), ("self.__KB_FILES", json.dumps(files))):
        if worker.count(marker) != 1:
            raise SystemExit(f"kb_build.offline: {TEMPLATE} lacks the marker {marker}")
        worker = worker.replace(marker, value)
    (site / WORKER_NAME).unlink(missing_ok=True)
    (site / WORKER_NAME).write_text(worker, encoding="utf-8")
    return build


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb_build.offline",
        description="Write the service worker (sw.js) that keeps a built site offline.",
    )
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    args = parser.parse_args(argv)
    if not (args.site / REGISTRATION).is_file():
        print(f"kb_build.offline: {args.site} is not a built site: build it first", file=sys.stderr)
        return 2
    build = write(args.site)
    print(f"kb_build.offline: {args.site / WORKER_NAME}, build {build}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
