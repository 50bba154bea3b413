"""The one configuration file, ``schemas/settings.json``: business hours, tolerances,
placeholder texts, TAPI keywords, the portal and the after-hours rates.

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


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Settings:
    business_days: frozenset[int]
    """Weekdays with business hours, Monday = 0 as in `datetime.weekday`."""
    business_start: int
    """Start of business hours, in minutes after midnight."""
    business_end: int
    """End of business hours (exclusive), in minutes after midnight; 1440 for 24:00."""
    future_tolerance: timedelta
    stale_after: timedelta
    placeholder_texts: frozenset[str]
    """Casefolded, stripped."""
    min_meaningful_length: int
    tapi_pattern: re.Pattern[str] | None
    """Matches a TAPI keyword as a whole word (or phrase), without case."""
    values: dict[str, Any]
    """Every setting by name, plus ``business_hours`` as text: for message placeholders."""

    def within_business_hours(self, weekday: int, minute_of_day: int) -> bool:
        return (
            weekday in self.business_days
            and self.business_start <= minute_of_day < self.business_end
        )


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _describe_days(days: list[str]) -> str:
    """``["mon", ..., "fri"]`` as ``Mon\u2013Fri``: runs of consecutive days become ranges."""
    indexes = sorted(DAYS.index(day) for day in days)
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    names = [DAYS[run[0]].title() for run in runs]
    return ", ".join(
        name if len(run) == 1 else f"{name}{EN_DASH}{DAYS[run[-1]].title()}"
        for name, run in zip(names, runs, strict=True)
    )


def _tapi_pattern(keywords: list[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    # A keyword's words may be separated by any run of white space ("phone\n system").
    phrases = sorted((r"\s+".join(map(re.escape, k.split())) for k in keywords), key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(phrases)) + r")(?!\w)", re.IGNORECASE)


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
        raise SettingsError(f"{path}: cannot read the settings file: {error}") from error
    except ValueError as error:
        raise SettingsError(f"{path}: the settings file is not valid JSON: {error}") from error
    problems = _schema_errors(data)
    if not problems:
        hours = data["business_hours"]
        if _minutes(hours["start"]) >= _minutes(hours["end"]):
            problems.append("business_hours: start must be earlier than end")
    if problems:
        raise SettingsError(
            f"{path}: fix the settings file (it must match settings.schema.json):\n  "
            + "\n  ".join(problems)
        )
    hours = data["business_hours"]
    start, end = hours["start"], hours["end"]
    values = dict(data)
    values.pop("$schema", None)
    values["business_hours"] = f"{_describe_days(hours['days'])} {start}{EN_DASH}{end}"
    return Settings(
        business_days=frozenset(DAYS.index(day) for day in hours["days"]),
        business_start=_minutes(start),
        business_end=_minutes(end),
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
