"""The knowledge base's pre-build step: everything the site shows that is derived from
``schemas/``, the procedures' front matter and ``node_modules/``, written as plain files that
any site engine can consume (MkDocs + Material today, Zensical tomorrow). Not shipped in the
engine's wheel.

    python -m kb_build            # check, generate, and rebuild the pre-check runtime if stale
    python -m kb_build --help

One module per concern:

- `procedures`: the procedure front-matter lint (schemas/procedure.schema.json);
- `snippets`: Markdown snippets (checklists, portal steps, charging terms, procedures index);
- `precheck_form`: the pre-check form's HTML;
- `suggestions`: the index the pre-check suggests procedures from (docs/assets/precheck/);
- `snapshot_check`: the self-check a restored memory snapshot of the checker must pass
  (docs/assets/precheck/snapshot-check.mjs);
- `precheck_assets`: the pre-check's runtime (Pyodide, our wheels and their lock) in
  content-hashed folders, and runtime.mjs with every file's sha256;
- `stdlib` (with `fuzz_recorder`): the trimmed, compiled standard library, from the modules the
  engine imports in Pyodide over the fixtures and the fuzz tests' inputs (stdlib_modules.txt);
- `pyodide_node`: Python inside Pyodide under Node, for both;
- `precompress`: the post-build step, .br and .gz next to every compressible file of site/
  (``python -m kb_build.precompress site/``);
- `nginx`: nginx in the foreground through deploy/nginx/ for `make preview`, the delivery tests
  and the benchmarks (``python -m kb_build.nginx site/``);
- `markup`, `paths`: small helpers.

The MkDocs hooks in `mkdocs_hooks/` (listed in mkdocs.yml) are thin adapters over `generate` and
`procedures`; they live here, not in overrides/, which Zensical would publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cytrack_ticket import catalogue

from . import precheck_form, procedures, snapshot_check, snippets, suggestions
from .paths import DOCS_DIR, GENERATED_DIR


@dataclass
class Report:
    """What one run generated and what it found wrong (front-matter problems, overdue reviews)."""

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)


def generate(out_dir: Path = GENERATED_DIR, docs_dir: Path = DOCS_DIR) -> Report:
    """Re-read the schemas and settings, lint the procedures, and write every generated file
    whose content changed (into ``out_dir``; the suggestions index and the snapshot's
    self-check, published assets, into ``docs_dir``). Raises `catalogue.ConfigError` naming a
    broken schema or settings file."""
    catalogue.reload()
    procedures.schema.cache_clear()
    report = Report()
    for checked in procedures.check_all(docs_dir):
        report.problems += [str(problem) for problem in checked.problems]
        if checked.overdue:
            report.overdue.append(f"{checked.file}: {checked.overdue}")
    report.written += snippets.write_snippets(out_dir, docs_dir)
    if precheck_form.write(out_dir / precheck_form.OUTPUT.name):
        report.written.append(out_dir / precheck_form.OUTPUT.name)
    for published in (suggestions.write(docs_dir), snapshot_check.write(docs_dir)):
        if published:
            report.written.append(published)
    return report
