"""Procedure front matter: read it as MkDocs does and check it against
schemas/procedure.schema.json.

Plain Python without MkDocs, so the pre-build step (`python -m kb_build`), the thin MkDocs
hook (kb_build/mkdocs_hooks/procedures.py), the tests and a command line share one implementation:

    .venv/bin/python -m kb_build.procedures [--fail-on-overdue]

The command lists every problem and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from cytrack_ticket import catalogue

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "procedure.schema.json"
TEMPLATE_PATH = ROOT / "docs" / "snippets" / "procedure-template.md"
"""The template writers copy: a procedure that keeps its title, summary or last_reviewed fails."""
PROCEDURES_DIR = "procedures"
REVIEW_INTERVAL_MONTHS = 12
TODAY_ENV = "KB_TODAY"
"""Overrides today's date (YYYY-MM-DD) for the review check, so tests do not depend on the clock."""

# The same delimiters MkDocs accepts (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_NO_FRONT_MATTER = "front matter"


class _DatesAsText(yaml.SafeLoader):
    """YAML without implicit timestamps: `last_reviewed: 2026-02-30` must reach the
    schema as text to be reported, instead of failing inside the YAML parser."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    """One thing a support writer must fix, naming the file and the field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: front matter '{self.field}': {self.message}"


@dataclass(frozen=True)
class Procedure:
    """What the procedures index shows about one page (best effort when it has problems)."""

    src_uri: str
    """Path below docs/, with forward slashes, e.g. procedures/restart.md."""
    title: str
    summary: str = ""
    applies_to: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    last_reviewed: dt.date | None = None
    time_needed: str | None = None
    order: int | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    procedure: Procedure
    problems: tuple[Problem, ...] = ()
    overdue: str | None = None
    """Why the review is overdue, or None."""

    @property
    def file(self) -> str:
        return f"docs/{self.procedure.src_uri}"


@cache
def schema() -> dict[str, Any]:
    try:
        return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    except OSError as error:
        raise catalogue.ConfigError(f"{SCHEMA_PATH}: cannot read it: {error.strerror}") from None
    except ValueError as error:
        raise catalogue.ConfigError(f"{SCHEMA_PATH}: not valid JSON: {error}") from None


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


def today() -> dt.date:
    """Today, or the date in $KB_TODAY."""
    value = os.environ.get(TODAY_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Set {TODAY_ENV} to a date as YYYY-MM-DD, not {value!r}") from None


def review_due(last_reviewed: dt.date) -> dt.date:
    """The day the review interval ends (29 February rolls back to the 28th)."""
    months = last_reviewed.month - 1 + REVIEW_INTERVAL_MONTHS
    year, month = last_reviewed.year + months // 12, months % 12 + 1
    for day in range(last_reviewed.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, last_reviewed.day)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(YAML, body) of a Markdown page, or None when it has no front matter block."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    return match.group(1), text[match.end() :]


def _json_ready(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Front matter as JSON values: MkDocs' own YAML loader turns 2026-11-20 into a date."""

    def convert(value: Any) -> Any:
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [convert(item) for item in value]
        if isinstance(value, Mapping):
            return {str(key): convert(item) for key, item in value.items()}
        return value

    return {str(key): convert(value) for key, value in meta.items()}


def _field_name(error: ValidationError) -> str:
    parts = list(error.absolute_path)
    if not parts:
        return _NO_FRONT_MATTER
    name = str(parts[0])
    for part in parts[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def _message(error: ValidationError, node: Mapping[str, Any]) -> str:
    template = node.get("x-messages", {}).get(str(error.validator))
    if template is None:
        return str(error.message)
    values = {key: value for key, value in error.schema.items() if not isinstance(value, dict)}
    values.update(node)
    values["value"] = error.instance
    try:
        return catalogue.fill(str(template), values)
    except catalogue.ConfigError as problem:
        raise catalogue.ConfigError(f"{SCHEMA_PATH}: {problem}") from None


# When several keywords fail for one value, the first of these explains it best
# (a day-first date fails both pattern and format: say "YYYY-MM-DD" once).
_PRIORITY = ("type", "pattern", "minItems", "uniqueItems", "enum", "format")


def _most_telling(errors: Iterable[ValidationError]) -> list[ValidationError]:
    best: dict[tuple[Any, ...], ValidationError] = {}

    def rank(error: ValidationError) -> int:
        validator = str(error.validator)
        return _PRIORITY.index(validator) if validator in _PRIORITY else len(_PRIORITY)

    kept = []
    for error in errors:
        if error.validator in ("required", "additionalProperties"):
            kept.append(error)
            continue
        key = tuple(error.absolute_path)
        if key not in best or rank(error) < rank(best[key]):
            best[key] = error
    return kept + list(best.values())


def _errors(meta: Mapping[str, Any], file: str) -> Iterator[Problem]:
    root = schema()
    properties: dict[str, Any] = root["properties"]
    instance = _json_ready(meta)
    errors = _most_telling(_validator().iter_errors(instance))
    for error in sorted(errors, key=lambda e: [str(part) for part in e.absolute_path]):
        if error.validator == "required":
            for key in error.validator_value:
                if key not in instance and f"'{key}'" in error.message:
                    yield Problem(file, key, properties[key]["x-messages"]["required"])
        elif error.validator == "additionalProperties":
            for key in instance:
                if key in properties:
                    continue
                close = difflib.get_close_matches(key, properties, n=1, cutoff=0.75)
                if close:
                    message = (
                        f"Change '{key}' to '{close[0]}': front matter names are spelt exactly"
                    )
                else:
                    message = root["x-messages"]["additionalProperties"].format(value=key)
                yield Problem(file, key, message)
        else:
            path = list(error.absolute_path)
            node = properties.get(str(path[0]), {}) if path else root
            yield Problem(file, _field_name(error), _message(error, node))


@cache
def template_values() -> dict[str, Any]:
    """The front matter of the procedure template (docs/snippets/procedure-template.md), as
    JSON values: what a writer must replace."""
    try:
        text = TEMPLATE_PATH.read_text(encoding="utf-8")
    except OSError as error:
        raise catalogue.ConfigError(f"{TEMPLATE_PATH}: cannot read it: {error.strerror}") from None
    parts = split_front_matter(text)
    meta = yaml.load(parts[0], Loader=_DatesAsText) if parts else None
    if not isinstance(meta, dict):
        raise catalogue.ConfigError(f"{TEMPLATE_PATH}: start it with YAML front matter")
    return _json_ready(meta)


def _template_leftovers(meta: Mapping[str, Any], file: str, failed: set[str]) -> Iterator[Problem]:
    """Fields that still hold the template's value (only where the schema found no error)."""
    root = schema()
    template = template_values()
    instance = _json_ready(meta)
    for key in root.get("x-template-fields", ()):
        value = instance.get(key)
        if key in failed or value is None or value != template.get(key):
            continue
        message = root["properties"][key]["x-messages"]["template"]
        yield Problem(file, key, catalogue.fill(message, {"value": value}))


def check(meta: Mapping[str, Any] | None, file: str) -> list[Problem]:
    """Every problem in one page's front matter; ``meta`` None means it has none."""
    if meta is None:
        return [Problem(file, _NO_FRONT_MATTER, schema()["x-messages"]["type"])]
    if not isinstance(meta, Mapping):
        return [Problem(file, _NO_FRONT_MATTER, schema()["x-messages"]["type"])]
    problems = list(_errors(meta, file))
    failed = {problem.field.split("[")[0].split(".")[0] for problem in problems}
    problems += _template_leftovers(meta, file, failed)
    return problems


def parse(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A page's front matter (dates left as text) and the problems reading it."""
    parts = split_front_matter(text)
    if parts is None:
        return None, check(None, file)
    try:
        meta = yaml.load(parts[0], Loader=_DatesAsText)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        message = f"Fix the YAML{where}: {reason}. Quote text that contains a colon"
        return None, [Problem(file, _NO_FRONT_MATTER, message)]
    if not isinstance(meta, dict):
        return None, check(None, file)
    return meta, check(meta, file)


def _text(meta: Mapping[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _words(meta: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def procedure(meta: Mapping[str, Any] | None, src_uri: str) -> Procedure:
    meta = meta or {}
    order = meta.get("order")
    return Procedure(
        src_uri=src_uri,
        title=_text(meta, "title") or Path(src_uri).stem.replace("-", " ").capitalize(),
        summary=_text(meta, "summary") or "",
        applies_to=_words(meta, "applies_to"),
        audience=_words(meta, "audience"),
        last_reviewed=_date(meta.get("last_reviewed")),
        time_needed=_text(meta, "time_needed"),
        order=order if isinstance(order, int) and not isinstance(order, bool) else None,
        keywords=_words(meta, "keywords"),
    )


def overdue(item: Procedure, on: dt.date) -> str | None:
    if item.last_reviewed is None:
        return None
    due = review_due(item.last_reviewed)
    if on <= due:
        return None
    return (
        f"last_reviewed is {item.last_reviewed.isoformat()}, more than "
        f"{REVIEW_INTERVAL_MONTHS} months ago (review was due on {due.isoformat()}). Check the "
        "procedure against the product, then set last_reviewed to the date you checked it"
    )


def check_page(text: str, src_uri: str, on: dt.date) -> Checked:
    """One procedure page's index entry, problems and review state."""
    file = f"docs/{src_uri}"
    meta, problems = parse(text, file)
    item = procedure(meta, src_uri)
    return Checked(item, tuple(problems), None if problems else overdue(item, on))


def procedure_pages(docs_dir: Path) -> list[Path]:
    """Every procedure page: Markdown under docs/procedures/ except section index pages."""
    root = docs_dir / PROCEDURES_DIR
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*.md")
        if path.name != "index.md"
        and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)
    )


def check_all(docs_dir: Path, on: dt.date | None = None) -> list[Checked]:
    on = on or today()
    return [
        check_page(path.read_text(encoding="utf-8"), path.relative_to(docs_dir).as_posix(), on)
        for path in procedure_pages(docs_dir)
    ]


@dataclass
class _Report:
    problems: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb_build.procedures",
        description="Check the front matter of every procedure page.",
    )
    parser.add_argument("--docs-dir", type=Path, default=ROOT / "docs")
    parser.add_argument(
        "--fail-on-overdue",
        action="store_true",
        help="also exit 1 when a last_reviewed date is more than 12 months ago",
    )
    args = parser.parse_args(argv)
    try:
        on = today()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = _Report()
    for checked in check_all(args.docs_dir, on):
        report.problems += [str(problem) for problem in checked.problems]
        if checked.overdue:
            report.overdue.append(f"{checked.file}: {checked.overdue}")
    for line in report.problems:
        print(f"ERROR    -  {line}", file=sys.stderr)
    for line in report.overdue:
        print(f"WARNING  -  {line}", file=sys.stderr)
    if report.problems or (args.fail_on_overdue and report.overdue):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
