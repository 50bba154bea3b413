"""Live reload for `mkdocs serve` under the site's Content-Security-Policy.

MkDocs injects its live-reload client as an inline <script>, which the CSP (no inline
scripts, see overrides/main.html) blocks, so writers would lose live preview. While
serving, pages instead load assets/javascripts/kb-livereload.js, which speaks the same
protocol to the dev server's /livereload/ endpoint. The blocked inline copy still logs
one CSP message in the browser console under `mkdocs serve`; built sites are unaffected.

MkDocs events: on_startup (note whether this process serves), on_pre_build (record
when this build started, on the dev server's clock, for the template).
"""

from __future__ import annotations

import time
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig

_serving = False


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    """MkDocs `on_startup` event (once per process; the hook module lives as long)."""
    global _serving
    _serving = command == "serve"


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs `on_pre_build` event."""
    if _serving:
        # The dev server numbers site versions with round(time.monotonic() * 1000) taken
        # just before a build starts; any version newer than this moment is a later build.
        config.extra["kb_livereload_since"] = round(time.monotonic() * 1000)
    else:
        config.extra.pop("kb_livereload_since", None)
