"""Precompression of the built site, the post-build step: every text, JSON, JavaScript, CSS,
WebAssembly and zip file gets a Brotli (quality 11) and a gzip (level 9) copy next to it,
``name.br`` and ``name.gz``, which nginx serves as they are (brotli_static, gzip_static in
deploy/nginx/compression.conf), so the server never compresses on the fly.

    python -m kb_build.precompress site/

`make site`, `make preview`, the delivery tests and the benchmarks run it on the built site;
MkDocs knows nothing of it. A copy is only written when it is smaller than the file.

Brotli at quality 11 is slow (about 45 s for Pyodide's 9.6 MB WebAssembly on one core), so every
result is cached in build/precompress/ by the sha256 of the input and the settings: the
WebAssembly is compressed once per Pyodide version, not on every build. Entries unused for
`CACHE_DAYS` are removed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import brotli

from .paths import ROOT

SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".map", ".json", ".xml", ".txt", ".svg", ".wasm", ".zip"}
    | {".whl"}  # wheels are zips; ours are stored uncompressed for this
)
CACHE = ROOT / "build" / "precompress"
CACHE_DAYS = 30
BROTLI = {"quality": 11}  # the default 4 MB window: 24 bits gave a larger wasm
GZIP_LEVEL = 9
ENCODINGS = {
    "br": ("br-q11", lambda data: brotli.compress(data, **BROTLI)),
    "gz": ("gz-9", lambda data: gzip.compress(data, GZIP_LEVEL, mtime=0)),
}


def compressed(data: bytes, encoding: str) -> bytes:
    """`data` compressed as `encoding` ("br" or "gz"), from the cache when it was done before."""
    settings, compress = ENCODINGS[encoding]
    cached = CACHE / f"{hashlib.sha256(data).hexdigest()}.{settings}"
    if cached.is_file():
        os.utime(cached)  # still in use
        return cached.read_bytes()
    result = compress(data)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
    partial.write_bytes(result)
    partial.replace(cached)
    return result


def brotli_size(data: bytes) -> int:
    """How many bytes `data` takes as the server sends it with Brotli."""
    return len(compressed(data, "br"))


@dataclass
class Report:
    files: int = 0
    size: int = 0
    brotli: int = 0
    gzip: int = 0
    written: int = 0


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def precompress(site: Path) -> Report:
    """Writes name.br and name.gz next to every compressible file of `site` (when smaller) and
    removes copies whose file is gone or that no longer pay."""
    report = Report()
    for path in sorted(site.rglob("*")):
        if path.suffix in (".br", ".gz"):
            original = path.with_suffix("")
            if not original.is_file() or original.suffix not in SUFFIXES:
                path.unlink()
            continue
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        data = path.read_bytes()
        report.files += 1
        report.size += len(data)
        for encoding in ENCODINGS:
            copy = path.with_name(f"{path.name}.{encoding}")
            packed = compressed(data, encoding)
            if len(packed) < len(data):
                report.written += _write_if_changed(copy, packed)
            else:
                packed = data
                copy.unlink(missing_ok=True)
            if encoding == "br":
                report.brotli += len(packed)
            else:
                report.gzip += len(packed)
    _prune_cache()
    return report


def _prune_cache() -> None:
    if not CACHE.is_dir():
        return
    cutoff = time.time() - CACHE_DAYS * 86400
    for entry in CACHE.iterdir():
        if entry.stat().st_mtime < cutoff:
            entry.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb_build.precompress",
        description="Write .br and .gz copies next to every compressible file of a built site.",
    )
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(
            f"kb_build.precompress: {args.site} is not a directory: build the site first",
            file=sys.stderr,
        )
        return 2
    report = precompress(args.site)
    print(
        f"kb_build.precompress: {report.files} files, {report.size / 1e6:.2f} MB:"
        f" {report.brotli / 1e6:.2f} MB with Brotli, {report.gzip / 1e6:.2f} MB with gzip"
        f" ({report.written} copies written)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
