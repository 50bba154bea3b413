"""The time of occurrence, parsed with the standard library only.

jsonschema's own ``date-time`` format needs optional packages and silently passes
without them, so the schemas use the format ``cytrack-local-date-time``, checked here.

Accepted: what an HTML ``datetime-local`` input gives (``2026-11-20T10:15``), optionally
with seconds (``:30``), a fraction of a second (``.250``, up to 9 digits) and a UTC offset
(``Z`` or ``+01:00``). The separator may be ``T``, ``t`` or a space (RFC 3339, HTML).
Rejected: dates and times that do not exist (2026-02-30, 24:00, 23:60, leap second 60)
and offsets beyond ±23:59.

A time written without an offset is wall-clock time in a *zone*: the offset that applies is
the one in force at that wall time (so a summer date gets the summer offset), found with
``fold=0`` as PEP 495 defines it: in the hour a clock skips (spring forward) and in the hour it
repeats (fall back), the offset in force *before* the change. Browsers resolve a local time the
same way (ECMAScript's "compatible" disambiguation), so the pre-check and the CLI agree.
Offsets are whole minutes: historical local mean time offsets with seconds are rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

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

    def offset_in(self, local: tzinfo) -> timedelta:
        """The UTC offset this time is at: the written one, or the one ``local`` has at the
        wall time."""
        return self.offset if self.offset is not None else offset_at(self.wall, local)

    def instant(self, local: tzinfo) -> datetime:
        """The moment this denotes; a time without an offset is wall-clock time in ``local``."""
        return self.wall.replace(tzinfo=timezone(self.offset_in(local)))


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
    return parsed.instant(UTC)


_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})")


def _whole_minutes(offset: timedelta) -> timedelta:
    return timedelta(minutes=round(offset.total_seconds() / 60))


def offset_at(wall: datetime, zone: tzinfo) -> timedelta:
    """The UTC offset ``zone`` has at the naive wall-clock time ``wall`` (fold=0), in whole
    minutes."""
    offset = wall.replace(tzinfo=zone, fold=0).utcoffset()
    return _whole_minutes(offset) if offset is not None else timedelta(0)


def format_offset(offset: timedelta) -> str:
    """``UTC+01:00``, ``UTC-09:30``, ``UTC+00:00``."""
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


class SystemZone(tzinfo):
    """The zone of the machine the checker runs on (``TZ``, /etc/localtime or the Windows
    setting), with its daylight-saving rules, as the C library applies them. Pyodide's is UTC.

    The offset at a wall time is how far that wall time, read as UTC, is from the moment the
    C library gives it: exactly the offset it applied, ``fold`` included."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return _whole_minutes(datetime.now().astimezone().utcoffset() or timedelta(0))
        wall = dt.replace(tzinfo=None)
        try:
            local = wall.timestamp()
            as_utc = wall.replace(tzinfo=UTC).timestamp()
        except (OverflowError, OSError, ValueError):  # beyond what the C library can convert
            return self.utcoffset(None)
        return _whole_minutes(timedelta(seconds=as_utc - local))

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "local time"

    def __repr__(self) -> str:
        return "SystemZone()"


SYSTEM_ZONE = SystemZone()


def parse_zone(text: str) -> tzinfo:
    """A zone from ``--tz`` or `check_json`'s ``tz``: ``UTC`` or ``Z``, a fixed offset such as
    ``+01:00``, or an IANA name such as ``Europe/London`` (which needs a time zone database:
    the system's, or the ``tzdata`` package on Windows)."""
    if text.upper() in ("Z", "UTC"):
        return UTC
    match = _OFFSET.fullmatch(text)
    if match is not None:
        sign, hours, minutes = match.groups()
        if int(hours) > 23 or int(minutes) > 59:
            raise ValueError(f"{text!r} is not a UTC offset: use -23:59 to +23:59")
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-offset if sign == "-" else offset)
    import zoneinfo  # only for names: the browser passes offsets, and Pyodide has no database

    try:
        return zoneinfo.ZoneInfo(text)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(
            f"{text!r} is not a time zone: use an IANA name such as Europe/London, "
            "UTC, or an offset such as +01:00"
        ) from None


def aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now().astimezone()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime, e.g. datetime.now().astimezone()")
    return now
