"""The wheels the pre-check's worker installs are prepared by the pre-build step
(kb_build.precheck_assets): jsonschema with some imports deferred to where they are used, and
every wheel's METADATA without its long description. Run here on CPython: the patched
jsonschema gives the CLI's results, byte for byte, without importing what it defers."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kb_build import precheck_assets

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
NOW_ISO = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
# What the edits in DEFERRED_IMPORTS keep out of `import cytrack_ticket`.
DEFERRED_MODULES = ("urllib.request", "uuid", "fractions", "pprint", "importlib.resources")


@pytest.fixture(scope="module")
def patched_jsonschema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """jsonschema's wheel slimmed and patched as for the browser, unpacked into a folder."""
    into = tmp_path_factory.mktemp("wheels")
    (wheel,) = [w for w in precheck_assets._third_party_wheels(into) if "jsonschema" in w.name]
    precheck_assets._slim(wheel)
    unpacked = into / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def _run_engine(path_first: Path | None, drafts: list[str]) -> dict:
    script = (
        "import sys, json\n"
        "if sys.argv[1]: sys.path.insert(0, sys.argv[1])\n"
        "import jsonschema, cytrack_ticket\n"
        "loaded = sorted(sys.modules)\n"
        "drafts = json.loads(sys.stdin.read())\n"
        "results = [cytrack_ticket.check_json(d, sys.argv[2]) for d in drafts]\n"
        "print(json.dumps({'jsonschema': jsonschema.__file__, 'loaded': loaded,"
        " 'results': results}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path_first or ""), NOW_ISO],
        input=json.dumps(drafts),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout)


def test_patched_jsonschema_checks_every_fixture_as_the_cli_does(patched_jsonschema: Path):
    drafts = [
        path.read_bytes().decode("utf-8", "replace")
        for path in sorted(FIXTURES.glob("*/*/*.json"))
        if not path.name.endswith(".expected.json")
    ]
    patched = _run_engine(patched_jsonschema, drafts)
    unpatched = _run_engine(None, drafts)
    assert patched["jsonschema"].startswith(str(patched_jsonschema))
    assert not unpatched["jsonschema"].startswith(str(patched_jsonschema))
    assert patched["results"] == unpatched["results"]


def test_patched_jsonschema_imports_none_of_the_deferred_modules(patched_jsonschema: Path):
    loaded = set(_run_engine(patched_jsonschema, [])["loaded"])
    assert loaded.isdisjoint(DEFERRED_MODULES)


def test_a_jsonschema_that_changed_stops_the_build():
    with pytest.raises(precheck_assets.BuildError, match=r"jsonschema/_format\.py changed"):
        precheck_assets._defer_imports("jsonschema/_format.py", b"import uuid\n")


@pytest.mark.parametrize(
    ("name", "data", "kept"),
    [
        pytest.param(
            "demo-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n# Demo\n\nA long README.\n",
            b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
            id="metadata-loses-its-description",
        ),
        pytest.param("demo/README.txt", b"a\n\nb\n", b"a\n\nb\n", id="other-files-are-unchanged"),
    ],
)
def test_browser_wheels_drop_only_the_long_description(name: str, data: bytes, kept: bytes):
    assert precheck_assets._without_description(name, data) == kept
