"""Generated snippets: the "what to include" checklists, the after-hours fields, business
hours and the procedures index, written by kb_snippets as plain Markdown files into
build/generated/ for pymdownx.snippets. Outside docs/, so `mkdocs serve` never loops.

MkDocs events:
- on_config: resolve the snippets base paths against this project, so a build started
  from another directory (`mkdocs build -f .../mkdocs.yml`) finds the files;
- on_pre_build: (re)write the files whose content changed, from the current schemas.
"""

from __future__ import annotations

from pathlib import Path

import kb_snippets
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

_SNIPPETS = "pymdownx.snippets"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """MkDocs `on_config` event."""
    project = Path(config.config_file_path).resolve().parent
    options = config.mdx_configs.get(_SNIPPETS)
    if options is None:
        raise PluginError(
            f"{config.config_file_path}: add {_SNIPPETS} to markdown_extensions with "
            f"base_path [build/generated, docs/snippets]: the checklists are included with it"
        )
    base_path = options.get("base_path", ["."])
    if isinstance(base_path, str):
        base_path = [base_path]
    options["base_path"] = [str((project / entry).resolve()) for entry in base_path]
    if str(kb_snippets.GENERATED_DIR) not in options["base_path"]:
        raise PluginError(
            f"{config.config_file_path}: add build/generated to {_SNIPPETS} base_path: "
            "the generated checklists are written there"
        )
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs `on_pre_build` event."""
    kb_snippets.reload_schemas()
    kb_snippets.write_snippets(kb_snippets.GENERATED_DIR, Path(config.docs_dir))
