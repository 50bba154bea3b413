"""The writers' page teaches what is true of this project: its indentation example behaves
as it says, and its tables list every site value and every generated part. Each site
value's "Used on:" note names exactly the pages that include it."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import yaml
from kb_build import snippets as kb_snippets

from ._html import parse

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
WRITERS = DOCS / "writers.md"
SITE_VALUES = DOCS / "snippets" / "site"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml without MkDocs' own tags (!ENV, !relative): only the Markdown options."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _site_markdown() -> markdown.Markdown:
    """Markdown with the site's extensions and options (snippets from the source folders)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    extensions, options = [], {}
    for entry in config["markdown_extensions"]:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if settings:
            options[name] = dict(settings)
    options["pymdownx.snippets"]["base_path"] = [str(DOCS / "snippets")]
    return markdown.Markdown(extensions=extensions, extension_configs=options)


def _example_after(label: str) -> str:
    """The fenced Markdown example that follows a line starting with ``label``, unescaped."""
    text = WRITERS.read_text(encoding="utf-8")
    start = text.index(label)
    match = re.search(r"```markdown\n(.*?)```", text[start:], flags=re.DOTALL)
    assert match is not None, label
    return match.group(1).replace(";--8<--", "--8<--")


def _top_level_lists(html: str) -> list[int]:
    root = parse(f"<div>{html}</div>")
    div = root.find("div")
    assert div is not None
    return [
        len([li for li in child.children if not isinstance(li, str) and li.tag == "li"])
        for child in div.children
        if not isinstance(child, str) and child.tag == "ol"
    ]


def test_the_right_indentation_example_keeps_everything_in_one_list():
    html = _site_markdown().convert(_example_after("Right (4 spaces)"))
    assert _top_level_lists(html) == [2]
    assert "You should see" in html and "The CyTrack server" in html


def test_the_wrong_indentation_example_falls_out_of_the_list_and_restarts_the_numbering():
    html = _site_markdown().convert(_example_after("Wrong (2 spaces"))
    assert _top_level_lists(html) == [1, 1]


def _includes(text: str) -> set[str]:
    return set(re.findall(r'^\s*--8<-- "([^"]+?)(?::\w+)?"\s*$', text, flags=re.MULTILINE))


def _pages_including(name: str) -> set[str]:
    return {
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if "snippets" not in path.relative_to(DOCS).parts
        and name in _includes(path.read_text(encoding="utf-8"))
    }


def test_each_site_values_used_on_note_names_the_pages_that_include_it():
    wrong = {}
    for path in sorted(SITE_VALUES.glob("*.md")):
        note = re.search(r"^Used on: (.*)\.$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert note is not None, f"{path}: add a 'Used on: page.md, ...' line to the note"
        listed = {page.strip() for page in note.group(1).split(",")}
        used = _pages_including(f"site/{path.name}")
        if listed != used:
            wrong[path.name] = sorted(used)
    assert wrong == {}, f"set 'Used on:' to: {wrong}"


def test_each_site_value_is_marked_set_this_for_your_site_and_used_somewhere():
    for path in sorted(SITE_VALUES.glob("*.md")):
        assert "SET THIS FOR YOUR SITE" in path.read_text(encoding="utf-8"), path
        assert _pages_including(f"site/{path.name}"), f"{path} is included by no page"


def test_the_writers_page_lists_every_site_value_and_every_generated_part():
    text = WRITERS.read_text(encoding="utf-8")
    missing = [f"`{path.name}`" for path in SITE_VALUES.glob("*.md") if f"`{path.name}`" not in text]
    missing += [f"`{name}`" for name in kb_snippets.snippets() if f"`{name}`" not in text]
    missing = [name for name in missing if name != "`precheck-form.html`"]
    assert missing == []
