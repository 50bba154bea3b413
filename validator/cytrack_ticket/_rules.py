"""The rules that follow the schema pass, registered by name (the finding's code).

Each rule is a small generator: given the `Context` of one draft, it yields Findings.
Error rules run first; warning rules then only look at fields that are error-free, so a
user is never warned about a field they still have to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from . import _messages, _text, catalogue
from ._datetime import OccurredAt
from ._findings import Finding
from ._settings import Settings


@dataclass
class Context:
    """What the rules may look at for one draft."""

    issue_type: str | None
    """The draft's type, or None when issue_type is missing or not a known type (then the
    shared fields name and word the findings)."""
    draft: dict[str, Any]
    now: datetime
    zone: tzinfo
    """Where a time of occurrence written without an offset was: its offset is the one this
    zone has at that wall time."""
    settings: Settings
    failed: set[str] = field(default_factory=set)
    """Fields that already have an error."""
    occurred: OccurredAt | None = None
    """The parsed time of occurrence, when its field passed the schema."""

    def clean(self, key: str) -> bool:
        """The field was given and has no error."""
        return key in self.draft and key not in self.failed

    def error(self, key: str, code: str, name: str, **values: Any) -> Finding:
        return Finding(key, code, _messages.field_message(self.issue_type, key, name, **values))

    def warning(self, key: str, code: str, **values: Any) -> Finding:
        message = _messages.field_message(self.issue_type, key, code, warning=True, **values)
        return Finding(key, code, message)

    def occurred_instant(self) -> datetime | None:
        if self.occurred is None or not self.clean("occurred_at"):
            return None
        return self.occurred.instant(self.zone)


Rule = Callable[[Context], Iterator[Finding]]


def in_future(ctx: Context) -> Iterator[Finding]:
    """occurred_at more than `future_tolerance_minutes` after now."""
    occurred = ctx.occurred_instant()
    if occurred is not None and occurred - ctx.now > ctx.settings.future_tolerance:
        yield ctx.error("occurred_at", "in_future", "future")


# A zero-width joiner between two pictographs is part of one emoji (a ZWJ sequence such as
# a technologist), which the ticket shows as drawn; anywhere else it is hidden.
_PICTOGRAPHS = r"\u2600-\u27bf\ufe0f\U0001f000-\U0001faff"
_LONE_JOINER = rf"(?<![{_PICTOGRAPHS}])\u200d|\u200d(?![{_PICTOGRAPHS}])"


def _hidden(characters: str) -> re.Pattern[str]:
    without_joiner = characters.replace(r"\u200b-\u200f", r"\u200b\u200c\u200e\u200f")
    assert without_joiner != characters, "the joiner is listed in _text.HIDDEN_CHARACTERS"
    return re.compile(f"[{without_joiner}]|{_LONE_JOINER}")


_HIDDEN_ONE_LINE = _hidden(_text.HIDDEN_CHARACTERS)
_HIDDEN_MULTI_LINE = _hidden(_text.HIDDEN_CHARACTERS_MULTI_LINE)


def control_character(ctx: Context) -> Iterator[Finding]:
    """A control character (a line break too, in a one-line answer) or an invisible format
    character (zero-width, bidi) in a free-text answer: the text support staff read could
    differ from what it appears to say, or break the portal's fields."""
    for item in catalogue.fields_for(ctx.issue_type):
        if item.options or "format" in item.schema or item.schema.get("type") != "string":
            continue
        if not ctx.clean(item.key) or not isinstance(ctx.draft[item.key], str):
            continue
        pattern = _HIDDEN_MULTI_LINE if item.widget == "textarea" else _HIDDEN_ONE_LINE
        found = pattern.search(ctx.draft[item.key])
        if found is not None:
            yield ctx.error(
                item.key,
                "control_character",
                "control_character",
                character=f"U+{ord(found.group()):04X}",
                position=found.start() + 1,
            )


def providers_not_checked(ctx: Context) -> Iterator[Finding]:
    """The telephone system and PC hardware have not been checked with their providers."""
    if ctx.clean("providers_checked") and ctx.draft["providers_checked"] == "no":
        yield ctx.warning("providers_checked", "providers_not_checked")


def outside_business_hours(ctx: Context) -> Iterator[Finding]:
    """The priority an after-hours request needs (Critical) without the after-hours trigger,
    and the problem started outside business hours (wall-clock time as written): such a
    ticket triggers no after-hours request. Silent while the site has not set its business
    hours (the shipped default: the vendor publishes none), since nothing is known then."""
    if ctx.settings.business_hours is None:
        return
    trigger, triggered = catalogue.after_hours_trigger()
    priority = catalogue.after_hours_requires()["priority"]
    if not (ctx.clean("priority") and ctx.clean(trigger)) or ctx.occurred_instant() is None:
        return
    if ctx.draft["priority"] != priority or ctx.draft[trigger] == triggered:
        return
    assert ctx.occurred is not None
    wall = ctx.occurred.wall
    if ctx.settings.within_business_hours(wall.weekday(), wall.hour * 60 + wall.minute) is False:
        yield ctx.warning(trigger, "outside_business_hours")


def tapi_not_covered(ctx: Context) -> Iterator[Finding]:
    """An after-hours request of a type whose schema sets ``x-tapi-exclusion`` (phone) about
    the phone system, TAPI or CTI, which after-hours support does not cover."""
    pattern = ctx.settings.tapi_pattern
    trigger, triggered = catalogue.after_hours_trigger()
    if (
        ctx.issue_type is not None
        and catalogue.tapi_exclusion(ctx.issue_type)
        and pattern is not None
        and ctx.clean(trigger)
        and ctx.draft[trigger] == triggered
        and ctx.clean("description")
        and pattern.search(ctx.draft["description"])
    ):
        yield ctx.warning("description", "tapi_not_covered")


def placeholder(ctx: Context) -> Iterator[Finding]:
    """Very short or placeholder text in every field whose schema has a placeholder warning
    (steps taken, description)."""
    for item in catalogue.fields_for(ctx.issue_type):
        if "placeholder" not in item.warnings or not ctx.clean(item.key):
            continue
        text = ctx.draft[item.key].strip()
        if (
            len(text) < ctx.settings.min_meaningful_length
            or text.casefold() in ctx.settings.placeholder_texts
        ):
            yield ctx.warning(item.key, "placeholder", value=text)


def stale(ctx: Context) -> Iterator[Finding]:
    """occurred_at more than `stale_after_days` before now."""
    occurred = ctx.occurred_instant()
    if occurred is not None and ctx.now - occurred > ctx.settings.stale_after:
        yield ctx.warning("occurred_at", "stale")


ERROR_RULES: dict[str, Rule] = {"in_future": in_future, "control_character": control_character}
WARNING_RULES: dict[str, Rule] = {
    "providers_not_checked": providers_not_checked,
    "outside_business_hours": outside_business_hours,
    "tapi_not_covered": tapi_not_covered,
    "placeholder": placeholder,
    "stale": stale,
}
