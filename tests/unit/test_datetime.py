"""The time-of-occurrence parser: standard library only, real dates only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cytrack_ticket._datetime import (
    SYSTEM_ZONE,
    format_offset,
    is_local_date_time,
    offset_at,
    parse,
    parse_now,
    parse_zone,
)


@pytest.mark.parametrize(
    ("text", "wall", "offset"),
    [
        pytest.param("2026-11-20T10:15", datetime(2026, 11, 20, 10, 15), None, id="datetime-local"),
        pytest.param("2026-11-20T10:15:30", datetime(2026, 11, 20, 10, 15, 30), None, id="seconds"),
        pytest.param(
            "2026-11-20T10:15:30.25",
            datetime(2026, 11, 20, 10, 15, 30, 250000),
            None,
            id="fraction",
        ),
        pytest.param(
            "2026-11-20T10:15:30.123456789",
            datetime(2026, 11, 20, 10, 15, 30, 123456),
            None,
            id="nanoseconds-truncated",
        ),
        pytest.param("2026-11-20T10:15Z", datetime(2026, 11, 20, 10, 15), 0, id="utc"),
        pytest.param("2026-11-20t10:15z", datetime(2026, 11, 20, 10, 15), 0, id="lowercase"),
        pytest.param("2026-11-20 10:15", datetime(2026, 11, 20, 10, 15), None, id="space"),
        pytest.param("2026-11-20T10:15+01:00", datetime(2026, 11, 20, 10, 15), 60, id="plus"),
        pytest.param("2026-11-20T10:15:00-05:30", datetime(2026, 11, 20, 10, 15), -330, id="minus"),
        pytest.param("2028-02-29T00:00", datetime(2028, 2, 29), None, id="leap-day"),
        pytest.param("0001-01-01T00:00+23:59", datetime(1, 1, 1), 23 * 60 + 59, id="extremes"),
        pytest.param("9999-12-31T23:59:59", datetime(9999, 12, 31, 23, 59, 59), None, id="max"),
    ],
)
def test_accepts_real_date_times(text, wall, offset):
    parsed = parse(text)
    assert parsed is not None
    assert parsed.wall == wall
    assert parsed.offset == (None if offset is None else timedelta(minutes=offset))
    assert is_local_date_time(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2026-02-30T10:00", id="february-30"),
        pytest.param("2026-02-29T10:00", id="not-a-leap-year"),
        pytest.param("2026-13-01T10:00", id="month-13"),
        pytest.param("2026-11-20T24:00", id="24-00"),
        pytest.param("2026-11-20T10:60", id="minute-60"),
        pytest.param("2026-11-20T23:59:60", id="leap-second"),
        pytest.param("0000-01-01T00:00", id="year-0"),
        pytest.param("2026-11-20T10:15+24:00", id="offset-24h"),
        pytest.param("2026-11-20T10:15+01:60", id="offset-60-minutes"),
        pytest.param("2026-11-20T10:15+0100", id="offset-without-colon"),
        pytest.param("2026-11-20T10", id="no-minutes"),
        pytest.param("2026-11-20", id="date-only"),
        pytest.param("2026-11-20T10:15:30.", id="empty-fraction"),
        pytest.param("2026-11-20T10:15\n", id="trailing-newline"),
        pytest.param(" 2026-11-20T10:15", id="leading-space"),
        pytest.param("2026-11-2OT10:15", id="letter-o"),
        pytest.param("\uff12\uff10\uff12\uff16-11-20T10:15", id="fullwidth-digits"),
        pytest.param("2026-11-20T10:15" + "0" * 40, id="too-long"),
        pytest.param("", id="empty"),
    ],
)
def test_rejects_what_is_not_a_real_date_time(text):
    assert parse(text) is None
    assert not is_local_date_time(text)


@pytest.mark.parametrize("value", [None, 3, 2.5, True, [], {}], ids=repr)
def test_the_format_check_leaves_other_types_to_the_type_check(value):
    assert parse(value) is None
    assert is_local_date_time(value)


def test_a_naive_time_is_wall_clock_time_in_the_given_zone():
    parsed = parse("2026-11-26T12:00")
    assert parsed is not None
    zone = timezone(timedelta(hours=10))
    assert parsed.instant(zone) == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_an_aware_time_is_an_instant():
    parsed = parse("2026-11-26T12:00+10:00")
    assert parsed is not None
    assert parsed.instant(UTC) == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_parse_now_needs_an_offset():
    assert parse_now("2026-11-26T03:00:00+00:00") == datetime(2026, 11, 26, 3, tzinfo=UTC)
    with pytest.raises(ValueError, match="offset"):
        parse_now("2026-11-26T03:00")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        pytest.param("UTC", 0, id="utc"),
        pytest.param("z", 0, id="z"),
        pytest.param("+05:30", 330, id="plus"),
        pytest.param("-09:30", -570, id="minus"),
        pytest.param("+23:59", 23 * 60 + 59, id="largest"),
    ],
)
def test_a_zone_can_be_a_fixed_offset(text, minutes):
    zone = parse_zone(text)
    assert offset_at(datetime(2026, 7, 1, 12), zone) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["+24:00", "+01:60", "+0100", "Mars/Olympus", "America", "", "../etc/passwd"], ids=repr
)
def test_what_is_not_a_zone_is_refused_with_an_instruction(text):
    with pytest.raises(ValueError, match=r"IANA name such as Europe/London|offset"):
        parse_zone(text)


WALL_TIMES = [
    pytest.param(datetime(2026, 1, 15, 12, 0), id="winter"),
    pytest.param(datetime(2026, 7, 15, 12, 0), id="summer"),
    pytest.param(datetime(2026, 3, 8, 2, 30), id="skipped-hour"),
    pytest.param(datetime(2026, 11, 1, 1, 30), id="repeated-hour"),
]


@pytest.mark.parametrize("wall", WALL_TIMES)
def test_the_machine_zone_gives_the_offsets_of_its_tz_database(monkeypatch, wall):
    import time
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert offset_at(wall, SYSTEM_ZONE) == offset_at(wall, ZoneInfo("America/New_York"))
    finally:
        monkeypatch.undo()
        time.tzset()


def test_in_a_skipped_or_repeated_hour_the_offset_before_the_change_applies():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    assert format_offset(offset_at(datetime(2026, 3, 8, 2, 30), zone)) == "UTC-05:00"
    assert format_offset(offset_at(datetime(2026, 11, 1, 1, 30), zone)) == "UTC-04:00"
