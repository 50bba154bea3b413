"""Where the build reads and writes, relative to the project root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"
GENERATED_DIR = ROOT / "build" / "generated"
"""Generated snippets and the pre-check form: outside docs/, so `mkdocs serve` never loops."""
