"""The small markup of texts in ``schemas/`` (``**bold**`` for the portal's labels and the
values to choose; the portal URL becomes a link), rendered as Markdown or as HTML."""

from __future__ import annotations

import re
from html import escape

from cytrack_ticket import catalogue

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_markdown(text: str) -> str:
    url = catalogue.settings().values["portal_url"]
    return text.replace(url, f"<{url}>")


def to_html(text: str) -> str:
    url = catalogue.settings().values["portal_url"]
    html = _BOLD.sub(r"<strong>\1</strong>", escape(text, quote=False))
    link = f'<a href="{escape(url)}">{escape(url)}</a>'
    return html.replace(escape(url, quote=False), link)
