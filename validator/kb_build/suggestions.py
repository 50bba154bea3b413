"""The index the ticket pre-check suggests procedures from, while a customer writes a ticket.

Written to docs/assets/precheck/suggestions-index.json (only when its content changed, so
`mkdocs serve` does not loop), a plain static file any site engine publishes. The page fetches
it only once the customer starts typing, so it adds nothing to a cold /precheck/.

For each procedure (docs/procedures/*.md except index pages): its address below the site's
root, title, summary, ``applies_to`` and ``keywords`` from the front matter, and the words of its
text (Markdown, snippet includes and HTML removed; each word once, in order of first use: the
ranking only asks whether a word occurs). Ranking and word forms live in one place, the page's
module docs/assets/precheck/suggest-rank.mjs; this module only gathers the text.

    python -m kb_build.suggestions [--docs-dir DIR] [OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from . import procedures
from .paths import DOCS_DIR, ROOT

OUTPUT_NAME = "assets/precheck/suggestions-index.json"
FORMAT_VERSION = 1

QUERY_FIELDS: dict[str, float] = {"subject": 1.0, "description": 0.6, "steps_taken": 0.4}
"""The draft's fields the suggestions are found from, with how much a word in each counts: the
subject says what is wrong in a few words; the description and steps taken add detail (and
noise)."""

_SNIPPET = re.compile(r"^\s*;?-{2}8<-{2}.*$", re.MULTILINE)
_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*\S+\s*(?:"([^"]*)")?\s*$', re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<https?://[^>]*>|https?://\S+")
_TAG = re.compile(r"<[^>]+>")
_ATTRIBUTES = re.compile(r"\{[:#.][^}]*\}")
_EMPHASIS = re.compile(r"[*`~=]+")
_MARKUP = re.compile(r"[#>|]+")
_SPACE = re.compile(r"\s+")


def use_directory_urls(config: Path = ROOT / "mkdocs.yml") -> bool:
    """MkDocs' ``use_directory_urls`` (default true): how a page's address is written."""
    try:
        loaded = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError):
        return True
    value = loaded.get("use_directory_urls", "true") if isinstance(loaded, dict) else "true"
    return str(value).lower() not in ("false", "no", "off")


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """procedures/restart.md -> procedures/restart/ (or procedures/restart.html)."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def plain_words(markdown: str) -> str:
    """The words of a page's Markdown body, each once (case-insensitively), in reading order."""
    text = _SNIPPET.sub(" ", markdown)
    text = _FENCE.sub(" ", text)
    text = _ADMONITION.sub(lambda match: f" {match.group(1) or ''} ", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ATTRIBUTES.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    text = _MARKUP.sub(" ", text)
    seen: set[str] = set()
    words = []
    for word in _SPACE.split(text):
        key = word.casefold()
        if word and key not in seen:
            seen.add(key)
            words.append(word)
    return " ".join(words)


def _entry(path: Path, docs_dir: Path, directory_urls: bool) -> dict[str, Any] | None:
    text = path.read_text(encoding="utf-8")
    src_uri = path.relative_to(docs_dir).as_posix()
    meta, problems = procedures.parse(text, f"docs/{src_uri}")
    if problems or meta is None:  # the lint reports it; an index entry would be guesswork
        return None
    item = procedures.procedure(meta, src_uri)
    parts = procedures.split_front_matter(text)
    body = parts[1] if parts else ""
    return {
        "url": page_url(src_uri, directory_urls),
        "title": item.title,
        "summary": item.summary,
        "applies_to": list(item.applies_to),
        "keywords": list(item.keywords),
        "text": plain_words(body),
    }


def index_data(
    docs_dir: Path = DOCS_DIR, pages: Iterable[Path] | None = None, *, directory_urls: bool = True
) -> dict[str, Any]:
    """The index of these procedure pages (default: every procedure under ``docs_dir``)."""
    chosen = procedures.procedure_pages(docs_dir) if pages is None else pages
    entries = [_entry(path, docs_dir, directory_urls) for path in chosen]
    return {"version": FORMAT_VERSION, "procedures": [entry for entry in entries if entry]}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write(docs_dir: Path = DOCS_DIR, output: Path | None = None) -> Path | None:
    """Writes the index if its content changed; returns its path if it did."""
    from .snippets import write_if_changed

    target = output or docs_dir / OUTPUT_NAME
    data = index_data(docs_dir, directory_urls=use_directory_urls())
    return target if write_if_changed(target, render(data)) else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_build.suggestions", description=__doc__)
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR)
    parser.add_argument("out", nargs="?", type=Path, help="default: DOCS/" + OUTPUT_NAME)
    args = parser.parse_args(argv)
    written = write(args.docs_dir, args.out)
    if written:
        print(f"kb_build: wrote {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
