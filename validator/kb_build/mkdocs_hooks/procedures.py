"""Procedure front matter in MkDocs: the lint (validator/kb_build/procedures.py, against
schemas/procedure.schema.json) logged so that ``--strict`` fails, and the summary used as the
page's meta description.

- A violation is logged as an ERROR naming the file, the field and what to do. With --strict
  (the default in mkdocs.yml, CI and `make serve`) the build then fails after listing every
  problem; with --no-strict the site still builds, so a writer sees the page and the error.
- A last_reviewed more than 12 months ago is a WARNING deliberately not counted by --strict:
  the build must not start failing on its own when a date passes. Gate on it with
  `python -m kb_build.procedures --fail-on-overdue`. $KB_TODAY (YYYY-MM-DD) overrides today.

MkDocs events: on_pre_build (lint), on_page_markdown (meta description).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from cytrack_ticket import catalogue
from kb_build import procedures

log = get_plugin_logger("procedures")

# Review reminders go to their own logger: MkDocs' strict mode counts only the warnings
# logged under "mkdocs", and a reminder must not abort the build.
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
        on = procedures.today()
        checked_pages = procedures.check_all(Path(config.docs_dir), on)
    except (ValueError, catalogue.ConfigError) as error:
        raise PluginError(str(error)) from None
    for checked in checked_pages:
        for problem in checked.problems:
            log.error(str(problem))
        if checked.overdue:
            reminders.warning(f"{checked.file}: {checked.overdue}")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """MkDocs `on_page_markdown` event."""
    summary = page.meta.get("summary")
    if page.file.src_uri.startswith(f"{procedures.PROCEDURES_DIR}/") and isinstance(summary, str):
        page.meta.setdefault("description", summary)
    return markdown
