"""The time of occurrence, parsed with the standard library only.

jsonschema's own ``date-time`` format needs optional packages and silently passes
without them, so the schemas use the format ``cytrack-local-date-time``, checked here.

Accepted: what an HTML ``datetime-local`` input gives (``2026-11-20T10:15``), optionally
with seconds (``:30``), a fraction of a second (``.250``, up to 9 digits) and a UTC offset
(``Z`` or ``+01:00``). The separator may be ``T``, ``t`` or a space (RFC 3339, HTML).
Rejected: dates and times that do not exist (2026-02-30, 24:00, 23:60, leap second 60)
and offsets beyond ±23:59.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

_PATTERN = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt ]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?)?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})?"
)

FORMAT = "cytrack-local-date-time"
"""The schema format name this module checks."""


@dataclass(frozen=True, slots=True)
class OccurredAt:
    """A parsed time of occurrence: the wall-clock time as written, and its offset if given."""

    wall: datetime
    """Naive: the date and time exactly as written."""
    offset: timedelta | None
    """The UTC offset written with it, or None for a local time without one."""
    utc_designator: bool = False
    """True when the offset was written as ``Z``."""

    def instant(self, local: tzinfo | None) -> datetime:
        """The moment this denotes; a time without an offset is wall-clock time in ``local``."""
        if self.offset is None:
            return self.wall.replace(tzinfo=local)
        return self.wall.replace(tzinfo=timezone(self.offset))


def parse(text: object) -> OccurredAt | None:
    """The parsed time, or None if ``text`` is not a real date-time in the accepted form."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    part = match.group
    fraction = (part("fraction") or "").ljust(6, "0")[:6]
    try:
        wall = datetime(
            int(part("year")),
            int(part("month")),
            int(part("day")),
            int(part("hour")),
            int(part("minute")),
            int(part("second") or 0),
            int(fraction),
        )
    except ValueError:
        return None
    written = part("offset")
    offset: timedelta | None = None
    if written is not None and written not in "Zz":
        hours, minutes = int(written[1:3]), int(written[4:6])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes)
        if written[0] == "-":
            offset = -offset
    elif written is not None:
        offset = timedelta(0)
    return OccurredAt(
        wall=wall,
        offset=offset,
        utc_designator=written is not None and written in "Zz",
    )


def is_local_date_time(instance: object) -> bool:
    """The format check for ``cytrack-local-date-time``: strings only, like jsonschema's."""
    return not isinstance(instance, str) or parse(instance) is not None


def parse_now(text: str) -> datetime:
    """An aware "now" from ISO text, for tests and reproducible runs (`--now`)."""
    parsed = parse(text)
    if parsed is None or parsed.offset is None:
        raise ValueError(f"{text!r} is not a date-time with a UTC offset, e.g. 2026-11-26T03:00Z")
    return parsed.instant(None)


def aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now().astimezone()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime, e.g. datetime.now().astimezone()")
    return now
