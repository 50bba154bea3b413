"""Thin MkDocs adapter over the pre-build step (validator/kb_build, ``python -m kb_build``).

The content never depends on this hook: `make site` runs ``python -m kb_build`` first, and any
engine that reads the Markdown (Zensical included) sees the same generated files. The hook
only keeps `mkdocs serve` current and makes `--strict` fail on lint errors:

- on_startup: note whether this process serves;
- on_config: resolve the snippets base paths against this project, so a build started from
  another directory finds build/generated/;
- on_pre_build: regenerate the snippets and the form from the schemas as they are now; under
  `mkdocs serve`, also rebuild the pre-check's wheel and lock when schemas/ or validator/
  changed, so the page runs the engine on disk. (procedures.py logs the front-matter lint.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

import kb_build
from cytrack_ticket import catalogue
from kb_build import precheck_assets
from kb_build.paths import GENERATED_DIR

_SNIPPETS = "pymdownx.snippets"
log = get_plugin_logger("kb_build")

_serving = False


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    """MkDocs `on_startup` event."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """MkDocs `on_config` event."""
    project = Path(config.config_file_path).resolve().parent
    options = config.mdx_configs.get(_SNIPPETS)
    if options is None:
        raise PluginError(
            f"{config.config_file_path}: add {_SNIPPETS} to markdown_extensions with "
            f"base_path [build/generated, docs/snippets]: the generated files are included with it"
        )
    base_path = options.get("base_path", ["."])
    if isinstance(base_path, str):
        base_path = [base_path]
    options["base_path"] = [str((project / entry).resolve()) for entry in base_path]
    if str(GENERATED_DIR) not in options["base_path"]:
        raise PluginError(
            f"{config.config_file_path}: add build/generated to {_SNIPPETS} base_path: "
            "the generated snippets and form are written there"
        )
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs `on_pre_build` event."""
    try:
        if _serving:
            for path in precheck_assets.build_if_stale() or ():
                log.info(f"rebuilt the pre-check runtime: {path}")
        kb_build.generate(docs_dir=Path(config.docs_dir))
    except catalogue.ConfigError as error:
        raise PluginError(str(error)) from None
    except precheck_assets.BuildError as error:
        raise PluginError(f"pre-check runtime: {error}") from None
