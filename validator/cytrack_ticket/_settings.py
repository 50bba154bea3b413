"""The one configuration file, ``schemas/settings.json``: business hours (unset by default:
the vendor publishes none), tolerances, placeholder texts, TAPI keywords, the portal and the
after-hours rates.

A broken settings file is a configuration bug, not user input: loading it raises
`SettingsError` naming the file and what to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from . import _schemas

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EN_DASH = "\u2013"  # ranges read "Mon\u2013Fri 09:00\u201317:00"


class SettingsError(_schemas.ConfigError):
    """The settings file cannot be used; the message names the file and the problem."""


def fill(template: str, values: dict[str, Any]) -> str:
    """A schema text with ``{setting}`` placeholders filled in (``{{``/``}}`` for braces)."""
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as error:
        raise _schemas.ConfigError(
            f"the text {template!r} cannot be filled in: {error!r}"
        ) from None


_RATE_WORDS = {
    1: "the normal rate",
    1.5: "one and a half times the normal rate",
    2: "double the normal rate",
    3: "triple the normal rate",
}


def _rate(multiplier: float) -> str:
    return _RATE_WORDS.get(multiplier, f"{multiplier:g} times the normal rate")


def _duration(minutes: float) -> str:
    """60 -> "one hour", 120 -> "2 hours", 90 -> "1.5 hours", 30 -> "30 minutes"."""
    if minutes == 60:
        return "one hour"
    if minutes < 60:
        return f"{minutes:g} minutes"
    return f"{minutes / 60:g} hours"


def charging_terms(multiplier: float, minimum_minutes: int) -> dict[str, str]:
    """The after-hours charging terms as words, for messages, hints and generated pages."""
    return {
        "after_hours_rate": _rate(multiplier),
        "after_hours_minimum": _duration(minimum_minutes),
        "after_hours_voucher_minimum": _duration(multiplier * minimum_minutes),
    }


NOT_STATED = "not stated in this guide"
"""How ``{business_hours}`` reads in a message while a site has not set its business hours."""


@dataclass(frozen=True)
class BusinessHours:
    """The vendor's business hours as a site has set them (the vendor publishes none)."""

    days: frozenset[int]
    """Weekdays with business hours, Monday = 0 as in `datetime.weekday`."""
    start: int
    """Start of business hours, in minutes after midnight."""
    end: int
    """End of business hours (exclusive), in minutes after midnight; 1440 for 24:00."""

    def contain(self, weekday: int, minute_of_day: int) -> bool:
        return weekday in self.days and self.start <= minute_of_day < self.end


@dataclass(frozen=True)
class Settings:
    business_hours: BusinessHours | None
    """None while the site has not set them (the shipped default): nothing may then be said
    about whether a time is inside or outside business hours."""
    future_tolerance: timedelta
    stale_after: timedelta
    placeholder_texts: frozenset[str]
    """Casefolded, stripped."""
    min_meaningful_length: int
    tapi_pattern: re.Pattern[str] | None
    """Matches a TAPI keyword as a whole word (or phrase), without case."""
    values: dict[str, Any]
    """Every setting by name, plus ``business_hours`` as text: for message placeholders."""

    def within_business_hours(self, weekday: int, minute_of_day: int) -> bool | None:
        """Whether a wall-clock time is in business hours; None while they are not set."""
        if self.business_hours is None:
            return None
        return self.business_hours.contain(weekday, minute_of_day)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


DAY_NAMES: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def describe_days(days: list[str], *, long: bool = False) -> str:
    """``["mon", ..., "fri"]`` as ``Mon\u2013Fri`` (long: ``Monday to Friday``): runs of
    consecutive days become ranges; long lists end with "and"."""
    indexes = sorted(DAYS.index(day) for day in days)
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])

    def name(index: int) -> str:
        return DAY_NAMES[DAYS[index]] if long else DAYS[index].title()

    if long:  # "Saturday and Sunday", not "Saturday to Sunday"
        runs = [part for run in runs for part in ([run[:1], run[1:]] if len(run) == 2 else [run])]
    joiner = " to " if long else EN_DASH
    parts = [
        name(run[0]) if len(run) == 1 else f"{name(run[0])}{joiner}{name(run[-1])}" for run in runs
    ]
    if long and len(parts) > 1:
        return ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return ", ".join(parts)


def _tapi_pattern(keywords: list[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    # A keyword's words may be separated by any run of white space ("phone\n system").
    phrases = sorted((r"\s+".join(map(re.escape, k.split())) for k in keywords), key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(phrases)) + r")(?!\w)", re.IGNORECASE)


def _business_hours(hours: dict[str, Any] | None) -> BusinessHours | None:
    if hours is None:
        return None
    return BusinessHours(
        days=frozenset(DAYS.index(day) for day in hours["days"]),
        start=_minutes(hours["start"]),
        end=_minutes(hours["end"]),
    )


def _business_hours_text(hours: dict[str, Any] | None) -> dict[str, str]:
    """``{business_hours}`` ("Mon\u2013Fri 09:00\u201317:00") and ``{business_hours_long}``
    ("Monday to Friday, 09:00 to 17:00") for messages and pages; `NOT_STATED` while unset, so
    a text that names them still reads true."""
    if hours is None:
        return {"business_hours": NOT_STATED, "business_hours_long": NOT_STATED}
    days, start, end = hours["days"], hours["start"], hours["end"]
    return {
        "business_hours": f"{describe_days(days)} {start}{EN_DASH}{end}",
        "business_hours_long": f"{describe_days(days, long=True)}, {start} to {end}",
    }


def _schema_errors(data: object) -> list[str]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schemas.load("settings.schema.json"))
    return [
        f"{'.'.join(map(str, error.absolute_path)) or '(top level)'}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]


def load(path: Path) -> Settings:
    """Read and check a settings file; raise `SettingsError` naming it if it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(
            f"{path}: cannot read the settings file: {error.strerror or error}"
        ) from None
    except ValueError as error:
        raise SettingsError(f"{path}: the settings file is not valid JSON: {error}") from None
    problems = _schema_errors(data)
    if not problems:
        hours = data.get("business_hours")
        if hours is not None and _minutes(hours["start"]) >= _minutes(hours["end"]):
            problems.append("business_hours: start must be earlier than end")
    if problems:
        raise SettingsError(
            f"{path}: fix the settings file (it must match settings.schema.json):\n  "
            + "\n  ".join(problems)
        )
    values = dict(data)
    values.pop("$schema", None)
    values.update(_business_hours_text(data.get("business_hours")))
    values.update(
        charging_terms(data["after_hours_rate_multiplier"], data["after_hours_minimum_minutes"])
    )
    return Settings(
        business_hours=_business_hours(data.get("business_hours")),
        future_tolerance=timedelta(minutes=data["future_tolerance_minutes"]),
        stale_after=timedelta(days=data["stale_after_days"]),
        placeholder_texts=frozenset(text.strip().casefold() for text in data["placeholder_texts"]),
        min_meaningful_length=data["min_meaningful_length"],
        tapi_pattern=_tapi_pattern(data["tapi_keywords"]),
        values=values,
    )


@cache
def settings() -> Settings:
    """The site's settings, loaded and checked once."""
    return load(_schemas.schema_dir() / "settings.json")
