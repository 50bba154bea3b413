"""schemas/settings.json: the one configuration file, checked when loaded."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cytrack_ticket import _schemas, _settings, check

from .conftest import NOW, load_fixture

DEFAULTS = json.loads((_schemas.schema_dir() / "settings.json").read_text(encoding="utf-8"))
HOURS = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "settings.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_the_shipped_settings_are_the_documented_defaults():
    settings = _settings.settings()
    assert settings.business_hours is None, "Cytrack publishes no business hours"
    assert settings.values["business_hours"] == "not stated in this guide"
    assert settings.within_business_hours(2, 12 * 60) is None
    assert settings.future_tolerance.total_seconds() == 300
    assert settings.stale_after.days == 30


@pytest.mark.parametrize(
    ("days", "text"),
    [
        pytest.param(["mon"], "Mon", id="one"),
        pytest.param(["sat", "sun"], "Sat\u2013Sun", id="weekend"),
        pytest.param(["thu", "mon", "tue", "sat"], "Mon\u2013Tue, Thu, Sat", id="unordered"),
    ],
)
def test_business_days_read_as_ranges(tmp_path, days, text):
    data = {**DEFAULTS, "business_hours": {**HOURS, "days": days}}
    assert _settings.load(write(tmp_path, data)).values["business_hours"].startswith(text + " ")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param({**DEFAULTS, "stale_after_days": "30"}, "stale_after_days", id="wrong-type"),
        pytest.param(
            {k: v for k, v in DEFAULTS.items() if k != "tapi_keywords"},
            "'tapi_keywords' is a required property",
            id="missing-key",
        ),
        pytest.param({**DEFAULTS, "colour": "red"}, "colour", id="unknown-key"),
        pytest.param(
            {**DEFAULTS, "business_hours": {"days": ["mon"], "start": "9am", "end": "17:00"}},
            "business_hours.start",
            id="bad-time",
        ),
        pytest.param(
            {**DEFAULTS, "business_hours": {"days": ["mon"], "start": "17:00", "end": "09:00"}},
            "start must be earlier than end",
            id="start-after-end",
        ),
        pytest.param(
            {**DEFAULTS, "business_hours": {"days": ["monday"], "start": "09:00", "end": "17:00"}},
            "business_hours.days.0",
            id="bad-day",
        ),
    ],
)
def test_a_broken_settings_file_raises_naming_the_file(tmp_path, data, problem):
    path = write(tmp_path, data)
    with pytest.raises(_settings.SettingsError) as raised:
        _settings.load(path)
    assert str(path) in str(raised.value)
    assert problem in str(raised.value)


def test_a_missing_settings_file_raises_naming_it(tmp_path):
    with pytest.raises(_settings.SettingsError, match="cannot read"):
        _settings.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({**DEFAULTS, "business_hours": None}, id="null"),
        pytest.param({k: v for k, v in DEFAULTS.items() if k != "business_hours"}, id="absent"),
    ],
)
def test_business_hours_may_be_left_unset(tmp_path, data):
    settings = _settings.load(write(tmp_path, data))
    assert settings.business_hours is None
    assert settings.within_business_hours(6, 3 * 60) is None
    assert settings.values["business_hours"] == settings.values["business_hours_long"]
    assert settings.values["business_hours"] == "not stated in this guide"


def test_set_business_hours_are_read_as_days_and_minutes(tmp_path):
    settings = _settings.load(write(tmp_path, {**DEFAULTS, "business_hours": HOURS}))
    assert settings.business_hours == _settings.BusinessHours(frozenset(range(5)), 540, 1020)
    assert settings.values["business_hours"] == "Mon\u2013Fri 09:00\u201317:00"
    assert settings.values["business_hours_long"] == "Monday to Friday, 09:00 to 17:00"
    assert settings.within_business_hours(0, 540) is True
    assert settings.within_business_hours(0, 1020) is False
    assert settings.within_business_hours(5, 600) is False


def test_business_hours_come_from_the_settings(tmp_path, monkeypatch):
    draft = {**load_fixture("phone/valid/critical-outside-business-hours")}
    assert check(draft, now=NOW).warnings == (), "no warning while the hours are unset"
    night = {**HOURS, "start": "00:00", "end": "09:00"}
    for hours, warned in ((HOURS, True), (night, False)):
        custom = _settings.load(write(tmp_path, {**DEFAULTS, "business_hours": hours}))
        monkeypatch.setattr(_settings, "settings", lambda custom=custom: custom)
        codes = [warning.code for warning in check(draft, now=NOW).warnings]
        assert codes == (["outside_business_hours"] if warned else []), hours


def test_messages_use_the_settings(monkeypatch):
    custom = _settings.settings()
    custom = replace(
        custom,
        stale_after=custom.stale_after * 2,
        values={**custom.values, "stale_after_days": 60},
    )
    monkeypatch.setattr(_settings, "settings", lambda: custom)
    draft = load_fixture("phone/valid/stale")
    draft["occurred_at"] = "2026-08-01T10:00"
    (warning,) = check(draft, now=NOW).warnings
    assert "60 days" in warning.message


def test_tapi_keywords_and_placeholders_come_from_the_settings(tmp_path, monkeypatch):
    data = {**DEFAULTS, "tapi_keywords": ["Avaya"], "placeholder_texts": ["Blah"]}
    monkeypatch.setattr(_settings, "settings", lambda: _settings.load(write(tmp_path, data)))
    draft = load_fixture("phone/valid/after-hours")
    draft["description"] = "The avaya link dropped at 02:10 and CyTrack logs no calls."
    draft["steps_taken"] = "  BLAH  "
    warnings = [(item.field, item.code) for item in check(draft, now=NOW).warnings]
    assert warnings == [("steps_taken", "placeholder"), ("description", "tapi_not_covered")]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(["mon", "tue", "wed", "thu", "fri"], "Monday to Friday", id="weekdays"),
        pytest.param(["sat", "sun"], "Saturday and Sunday", id="weekend"),
        pytest.param(["mon", "wed", "fri"], "Monday, Wednesday and Friday", id="gaps"),
        pytest.param(["tue"], "Tuesday", id="one-day"),
    ],
)
def test_business_days_read_as_a_phrase(days: list[str], expected: str):
    assert _settings.describe_days(days, long=True) == expected
