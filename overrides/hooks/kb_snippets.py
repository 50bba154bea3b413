"""Generated Markdown snippets: the docs' parts that must not drift from the schemas.

Writes plain Markdown files into build/generated/, which pages include with
pymdownx.snippets (``--8<-- "checklist-phone.md"`` on a line of its own):

- checklist-phone.md, checklist-dashboard.md, checklist-other.md: "what to include"
  for each issue type, in the schema's x-checklist order, from the schema titles
  and descriptions;
- checklist-after-hours.md: the extra fields an After Hours Support Request needs;
- business-hours.md: one sentence from schemas/settings.json;
- procedures-index.md: the procedures, from their front matter. Include it only in
  docs/procedures/index.md: its links are relative to that page.

Plain Python without MkDocs: the MkDocs hook (checklists.py) calls write_snippets()
on every build, and any other builder (such as Zensical) runs it first:

    .venv/bin/python overrides/hooks/kb_snippets.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import kb_procedures

from cytrack_ticket import _catalogue, _schemas

ROOT = kb_procedures.ROOT
GENERATED_DIR = ROOT / "build" / "generated"
DOCS_DIR = ROOT / "docs"

_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def reload_schemas() -> None:
    """Forget the engine's cached schemas, so `mkdocs serve` picks up edits to schemas/."""
    for cached in (_schemas.load, _schemas.store, _catalogue.fields, _catalogue.checklist):
        cache_clear = getattr(cached, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
    kb_procedures.schema.cache_clear()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _field_list(fields: Iterable[_catalogue.Field]) -> str:
    return "".join(f"- **{item.title}**: {_one_line(item.description)}\n" for item in fields)


def _wrapped(css_class: str, attributes: str, body: str) -> str:
    # md_in_html keeps the list Markdown while giving it a hook for styling and tests.
    return f'<div class="{css_class}" {attributes} markdown>\n\n{body}\n</div>\n'


def checklist_markdown(issue_type: str) -> str:
    """What to include in a ticket of this type: schema title and hint, in x-checklist order."""
    body = _field_list(_catalogue.checklist(issue_type))
    return _wrapped("kb-checklist", f'data-issue-type="{issue_type}"', body)


def after_hours_checklist_markdown() -> str:
    """The fields an After Hours Support Request needs on top of the type's checklist."""
    fields = _catalogue.field_map(_schemas.ISSUE_TYPES[0])
    body = _field_list(fields[key] for key in _catalogue.after_hours_keys())
    return _wrapped("kb-checklist", 'data-issue-type="after-hours"', body)


def _days(days: Sequence[str]) -> str:
    order = list(_DAY_NAMES)
    positions = sorted(order.index(day) for day in days)
    names = [_DAY_NAMES[order[position]] for position in positions]
    consecutive = positions == list(range(positions[0], positions[0] + len(positions)))
    if len(names) > 2 and consecutive:
        return f"{names[0]} to {names[-1]}"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def business_hours_markdown() -> str:
    hours = _schemas.load("settings.json")["business_hours"]
    return (
        f"Business hours are {_days(hours['days'])}, {hours['start']} to {hours['end']} "
        "(your local time).\n"
    )


def _long_date(value: dt.date | None) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "not recorded"


def procedures_index_markdown(procedures: Iterable[kb_procedures.Procedure]) -> str:
    """The procedures index: linked title, summary, issue types, audience, review date."""
    audience_titles: dict[str, str] = kb_procedures.schema()["properties"]["audience"][
        "x-enum-titles"
    ]

    def type_title(issue_type: str) -> str:
        if issue_type in _schemas.ISSUE_TYPES:
            return _catalogue.type_title(issue_type)
        return issue_type

    ordered = sorted(
        procedures,
        key=lambda item: (item.order is None, item.order or 0, item.title.casefold()),
    )
    if not ordered:
        return "There are no procedures yet.\n"
    entries = []
    for item in ordered:
        link = Path(item.src_uri).relative_to(kb_procedures.PROCEDURES_DIR).as_posix()
        facts = [
            f"**Helps with:** {', '.join(type_title(key) for key in item.applies_to) or '-'}",
            f"**For:** {', '.join(audience_titles.get(key, key) for key in item.audience) or '-'}",
        ]
        if item.time_needed:
            facts.append(f"**Time needed:** {item.time_needed}")
        facts.append(f"**Last reviewed:** {_long_date(item.last_reviewed)}")
        lines = [f"## [{item.title}]({link})", ""]
        if item.summary:
            lines += [_one_line(item.summary), ""]
        lines += [" · ".join(facts), ""]
        slug = Path(item.src_uri).with_suffix("").as_posix()
        attributes = f'data-procedure="{slug}" data-applies-to="{" ".join(item.applies_to)}"'
        entries.append(_wrapped("kb-procedure-index__item", attributes, "\n".join(lines)))
    return _wrapped("kb-procedure-index", 'data-generated="procedures-index"', "\n".join(entries))


def snippets(docs_dir: Path = DOCS_DIR) -> dict[str, str]:
    """Every generated file's name and Markdown content."""
    files = {
        f"checklist-{issue_type}.md": checklist_markdown(issue_type)
        for issue_type in _schemas.ISSUE_TYPES
    }
    files["checklist-after-hours.md"] = after_hours_checklist_markdown()
    files["business-hours.md"] = business_hours_markdown()
    checked = kb_procedures.check_all(docs_dir)
    files["procedures-index.md"] = procedures_index_markdown(item.procedure for item in checked)
    return files


def write_snippets(out_dir: Path = GENERATED_DIR, docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Write the generated files; only those whose content changed. Returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in snippets(docs_dir).items():
        target = out_dir / name
        if target.is_file() and target.read_text(encoding="utf-8") == content:
            continue
        target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kb_snippets", description="Write the generated Markdown snippets."
    )
    parser.add_argument("--out", type=Path, default=GENERATED_DIR)
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR)
    args = parser.parse_args(argv)
    written = write_snippets(args.out, args.docs_dir)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
