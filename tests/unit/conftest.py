"""Shared values for the unit tests: the fixture corpus, its fixed "now" and base drafts."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
NOW_ISO = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
NOW = datetime.fromisoformat(NOW_ISO)


def fixture_drafts() -> list[Path]:
    """Every draft of the corpus: tests/fixtures/<type>/<valid|invalid>/<name>.json."""
    return sorted(
        path for path in FIXTURES.glob("*/*/*.json") if not path.name.endswith(".expected.json")
    )


def load_fixture(relative: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{relative}.json").read_text(encoding="utf-8"))


@pytest.fixture
def phone() -> dict[str, Any]:
    """A valid phone draft in business hours, no warnings."""
    return load_fixture("phone/valid/business-hours")


@pytest.fixture
def phone_after_hours() -> dict[str, Any]:
    """A valid after-hours phone draft, no warnings."""
    return load_fixture("phone/valid/after-hours")


@pytest.fixture
def dashboard() -> dict[str, Any]:
    return load_fixture("dashboard/valid/typical")


@pytest.fixture
def other() -> dict[str, Any]:
    return load_fixture("other/valid/typical")


SET_BUSINESS_HOURS = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}


@pytest.fixture
def business_hours_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The shipped settings with business hours set (Monday to Friday, 09:00 to 17:00), as
    a site sets them, read from a settings file of its own in tmp_path."""
    from cytrack_ticket import _schemas, _settings

    data = json.loads((_schemas.schema_dir() / "settings.json").read_text(encoding="utf-8"))
    data["business_hours"] = SET_BUSINESS_HOURS
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    custom = _settings.load(path)
    monkeypatch.setattr(_settings, "settings", lambda: custom)
    return custom
