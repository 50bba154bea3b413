"""The post-build step `python -m kb_build.precompress`: a Brotli 11 and a gzip 9 copy next to
every text, JSON, JavaScript, CSS, WebAssembly and zip file that they make smaller, cached by
content so that the WebAssembly is compressed once per Pyodide version."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
from pathlib import Path

import brotli
import pytest

from kb_build import precompress

pytestmark = pytest.mark.delivery


def test_every_compressible_file_has_brotli_and_gzip_copies_that_give_it_back(
    delivered_site: Path,
):
    checked = 0
    for path in sorted(delivered_site.rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz"):
            continue
        data = path.read_bytes()
        copies = {path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")}
        if path.suffix not in precompress.SUFFIXES:
            assert not any(copy.exists() for copy in copies), path
            continue
        checked += 1
        br, gz = (path.with_name(path.name + suffix) for suffix in (".br", ".gz"))
        if br.exists():
            assert brotli.decompress(br.read_bytes()) == data, br
            assert len(br.read_bytes()) < len(data)
        else:
            assert len(brotli.compress(data, quality=11)) >= len(data), f"{path} has no .br"
        if gz.exists():
            assert gzip.decompress(gz.read_bytes()) == data, gz
        else:
            assert len(gzip.compress(data, 9)) >= len(data), f"{path} has no .gz"
    assert checked > 50
    for kind in ("*.wasm", "*.zip", "*.whl", "*.mjs", "*.html", "*.css", "*.json"):
        assert all(
            path.with_name(path.name + ".br").exists() for path in delivered_site.rglob(kind)
        ), kind


def test_results_come_from_the_cache_by_content(delivered_site: Path):
    (wasm,) = delivered_site.glob("assets/runtime/pyodide-*/pyodide.asm.wasm")
    cached = precompress.CACHE / f"{hashlib.sha256(wasm.read_bytes()).hexdigest()}.br-q11"
    assert cached.read_bytes() == wasm.with_name(wasm.name + ".br").read_bytes()
    # A second pass over the whole site compresses nothing again and writes nothing.
    report = precompress.precompress(delivered_site)
    assert report.written == 0 and report.files > 50


def test_copies_of_a_removed_or_changed_file_follow_it(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    page = site / "page.html"
    page.write_text("<p>first</p>" * 200, encoding="utf-8")
    gone = site / "gone.js"
    gone.write_text("console.log(1);" * 200, encoding="utf-8")
    precompress.precompress(site)
    assert (site / "gone.js.br").exists()
    gone.unlink()
    page.write_text("<p>second</p>" * 200, encoding="utf-8")
    precompress.precompress(site)
    assert not (site / "gone.js.br").exists() and not (site / "gone.js.gz").exists()
    assert brotli.decompress((site / "page.html.br").read_bytes()) == page.read_bytes()


def test_the_command_reports_and_refuses_a_missing_folder(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "kb_build.precompress", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "is not a directory: build the site first" in result.stderr
