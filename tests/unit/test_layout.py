"""The project's layout rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Everything outside the engine package and its own unit tests uses its public API only:
# `cytrack_ticket` and `cytrack_ticket.catalogue`.
PUBLIC_ONLY = ("validator/kb_build", "benchmarks", "tests/site", "tests/browser", "tests/delivery")
PRIVATE_IMPORT = re.compile(
    r"^\s*(?:from\s+cytrack_ticket\s+import\s+[^\n]*\b_\w+|from\s+cytrack_ticket\._\w+\s+import"
    r"|import\s+cytrack_ticket\._\w+)|cytrack_ticket\._\w+",
    re.MULTILINE,
)


def _python_files() -> list[Path]:
    return sorted(path for folder in PUBLIC_ONLY for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in _python_files()]
)
def test_no_generator_hook_benchmark_or_site_test_imports_a_private_module(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [match.group(0).strip() for match in PRIVATE_IMPORT.finditer(text)]
    assert found == [], f"{path.relative_to(ROOT)} uses a private module: use the public API"


def test_the_grep_finds_a_private_import():
    for line in (
        "from cytrack_ticket import _schemas",
        "from cytrack_ticket import catalogue, _engine",
        "from cytrack_ticket._engine import validator",
        "import cytrack_ticket._settings",
    ):
        assert PRIVATE_IMPORT.search(line), line
    assert not PRIVATE_IMPORT.search("from cytrack_ticket import catalogue, check")


def test_overrides_holds_theme_overrides_only():
    kinds = {path.suffix for path in (ROOT / "overrides").rglob("*") if path.is_file()}
    assert kinds <= {".html"}, "overrides/ is for theme templates; build code goes in kb_build"
