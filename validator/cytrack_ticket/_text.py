"""The portal-ready ticket text of a valid draft.

Layout (fixed by the golden files in tests/golden/):

    Subject: <subject>
    Type of issue: <type title>

    <checklist fields in the schema's x-checklist order, the seed's checklist>

    <after-hours fields that were given (all of them for an after-hours request)>

    Priority: <title>
    After Hours Support Request: Yes|No

Each line is ``<field title>: <value>``, labelled with the schema title exactly. A value
of several lines goes below its label, every line indented by four spaces; blank lines
inside it are kept, trailing spaces are dropped. Booleans and enum values read as their
titles (x-enum-titles). The time of occurrence reads ``2026-11-20 10:15 (UTC+01:00)``:
the wall-clock time as written, with seconds when given and not zero, and always its UTC
offset: the written one, or the one the checker's zone has at that wall time (support staff
may work in another zone). Sections are separated by one blank line; the text has no
trailing newline.

The portal has a field for each part (`PARTS`), so the text is also handed over in parts:
``subject`` (the subject on one line), ``description`` (the text without the subject line),
and the answers to choose in the portal's own lists, ``priority`` and the after-hours trigger
(``after_hours``), by their titles. The subject line plus a newline plus the description is
the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from . import _datetime, catalogue

INDENT = "    "

# Characters that must not reach a ticket: C0 and C1 controls and DEL, and the invisible
# format characters that can make text read differently from what it says (the Arabic
# letter mark, zero-width characters and bidi marks, line and paragraph separators, bidi
# embeddings, overrides and isolates, word joiners and invisible operators, the zero-width
# no-break space). Character-class ranges, for re.
HIDDEN_CHARACTERS = (
    r"\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
# The same without tab, line feed and carriage return, which multi-line answers may hold.
HIDDEN_CHARACTERS_MULTI_LINE = HIDDEN_CHARACTERS.replace(
    r"\x00-\x1f", r"\x00-\x08\x0b\x0c\x0e-\x1f"
)


def part_names() -> tuple[str, ...]:
    """The parts of a ticket, in the order the portal asks for them."""
    return ("subject", "description", "priority", catalogue.after_hours_trigger()[0])


@dataclass(frozen=True, slots=True)
class Ticket:
    text: str
    """The whole ticket text."""
    parts: tuple[tuple[str, str], ...]
    """(name, text) in `part_names` order."""


def format_occurred_at(text: str, zone: tzinfo) -> str:
    parsed = _datetime.parse(text)
    if parsed is None:  # not reached for valid drafts; keep what the user wrote
        return text
    wall = parsed.wall.replace(microsecond=0)
    shown = wall.isoformat(sep=" ", timespec="seconds" if wall.second else "minutes")
    return f"{shown} ({_datetime.format_offset(parsed.offset_in(zone))})"


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _entry(field: catalogue.Field, value: Any, zone: tzinfo) -> str:
    if field.key == "occurred_at":
        value = format_occurred_at(value, zone)
    elif not isinstance(value, str) or field.options:
        value = field.value_title(value)
    lines = _lines(value)
    if len(lines) == 1:
        return f"{field.title}: {lines[0]}"
    return "\n".join([f"{field.title}:", *(INDENT + line if line else "" for line in lines)])


def render(issue_type: str, draft: dict[str, Any], zone: tzinfo) -> Ticket:
    """The ticket text and its parts for a draft that `check` found valid; a time of
    occurrence without an offset was in ``zone``."""
    fields = catalogue.field_map(issue_type)
    trigger, _ = catalogue.after_hours_trigger()

    def entry(key: str) -> str:
        return _entry(fields[key], draft[key], zone)

    subject_line = entry("subject")
    header = [entry("issue_type")]
    checklist_keys = [item.key for item in catalogue.checklist(issue_type)]
    after_hours_keys = [key for key in catalogue.after_hours_keys() if key in draft]
    placed = {"subject", "issue_type", "priority", trigger, *checklist_keys}
    placed.update(after_hours_keys)
    # A field a future schema adds outside the checklist still reaches the ticket.
    checklist_keys += [key for key in fields if key in draft and key not in placed]
    checklist = [entry(key) for key in checklist_keys]
    after_hours = [entry(key) for key in after_hours_keys]
    settings = [entry(key) for key in ("priority", trigger)]
    sections = [header, checklist, after_hours, settings]
    description = "\n\n".join("\n".join(section) for section in sections if section)
    subject = " ".join(line.strip() for line in _lines(draft["subject"]) if line.strip())
    values = {
        "subject": subject,
        "description": description,
        "priority": fields["priority"].value_title(draft["priority"]),
        trigger: fields[trigger].value_title(draft[trigger]),
    }
    return Ticket(
        text=f"{subject_line}\n{description}",
        parts=tuple((name, values[name]) for name in part_names()),
    )
