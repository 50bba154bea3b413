"""Procedure front matter lint: every page under docs/procedures/ (except index pages)
must match schemas/procedure.schema.json (checks in kb_procedures).

- A violation is logged as an ERROR naming the file, the field and what to do. With
  --strict (the default in mkdocs.yml, CI and `make serve`) the build then fails after
  listing every problem; with --no-strict the site still builds, so a writer previewing
  with `mkdocs serve --no-strict` sees the page and the error together.
- A last_reviewed more than 12 months ago is shown as a WARNING but is deliberately not
  counted by --strict: the build must not start failing on its own when a date passes.
  Gate on it with `python overrides/hooks/kb_procedures.py --fail-on-overdue`.
  $KB_TODAY (YYYY-MM-DD) overrides today's date.

MkDocs events: on_pre_build (check every procedure), on_page_markdown (use the summary
as the page's meta description).
"""

from __future__ import annotations

import logging
from pathlib import Path

import kb_procedures
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = get_plugin_logger("procedures")

# Review reminders go to their own logger: MkDocs' strict mode counts only the
# warnings logged under "mkdocs", and a reminder must not abort the build.
reminders = logging.getLogger("kb.procedures.review")
if not reminders.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  procedures: %(message)s"))
    reminders.addHandler(_handler)
    reminders.propagate = False
    reminders.setLevel(logging.WARNING)


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs `on_pre_build` event."""
    try:
        on = kb_procedures.today()
    except ValueError as error:
        raise PluginError(str(error)) from None
    for checked in kb_procedures.check_all(Path(config.docs_dir), on):
        for problem in checked.problems:
            log.error(str(problem))
        if checked.overdue:
            reminders.warning(f"{checked.file}: {checked.overdue}")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """MkDocs `on_page_markdown` event."""
    summary = page.meta.get("summary")
    if page.file.src_uri.startswith(f"{kb_procedures.PROCEDURES_DIR}/") and isinstance(
        summary, str
    ):
        page.meta.setdefault("description", summary)
    return markdown
