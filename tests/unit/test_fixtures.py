"""The fixture corpus (shared with the browser parity test) and the golden ticket texts.

Regenerate the golden texts after an intended change of the ticket layout with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_fixtures.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cytrack_ticket import check_json
from cytrack_ticket._rules import ERROR_RULES, WARNING_RULES

from .conftest import FIXTURES, GOLDEN, NOW, NOW_ISO, fixture_drafts

DRAFTS = fixture_drafts()
IDS = [str(path.relative_to(FIXTURES).with_suffix("")) for path in DRAFTS]
ALL_ERROR_CODES = {
    "required", "type", "enum", "too_long", "phone_format", "not_a_date_time", "in_future",
    "after_hours_priority", "remote_access_required", "charges_required", "unknown_field",
    "not_an_object", "not_json", "not_utf8", "control_character",
}  # fmt: skip
# Warnings that only a site setting turns on, so the corpus (judged with the shipped
# settings, as the browser parity test runs it) cannot show them; test_rules.py covers them
# with the setting made.
SETTING_DEPENDENT_WARNINGS = {"outside_business_hours"}


def expected_of(draft: Path) -> dict:
    return json.loads(draft.with_name(f"{draft.stem}.expected.json").read_text(encoding="utf-8"))


def golden_of(draft: Path) -> Path:
    return GOLDEN / f"{draft.parent.parent.name}-{draft.stem}.txt"


def test_the_corpus_has_the_documented_layout():
    assert DRAFTS, "no fixtures found"
    for path in FIXTURES.rglob("*.json"):
        relative = path.relative_to(FIXTURES)
        assert len(relative.parts) == 3, relative
        kind, verdict, _name = relative.parts
        assert kind in {"phone", "dashboard", "other", "malformed", "encoding"}, relative
        assert verdict in {"valid", "invalid"}, relative
    for draft in DRAFTS:
        assert draft.with_name(f"{draft.stem}.expected.json").is_file(), draft
        assert expected_of(draft)["valid"] is (draft.parent.name == "valid"), draft


@pytest.mark.parametrize("draft", DRAFTS, ids=IDS)
def test_fixture_gives_its_expected_findings_in_order(draft: Path):
    # As bytes, exactly as the CLI and the pre-check page read the file.
    result = json.loads(check_json(draft.read_bytes(), NOW_ISO))
    actual = {
        "valid": result["valid"],
        "errors": [[item["field"], item["code"]] for item in result["errors"]],
        "warnings": [[item["field"], item["code"]] for item in result["warnings"]],
    }
    assert actual == expected_of(draft)


@pytest.mark.parametrize("draft", [d for d in DRAFTS if d.parent.name == "valid"], ids=str)
def test_valid_fixture_renders_its_golden_ticket_text(draft: Path):
    text = json.loads(check_json(draft.read_bytes(), NOW_ISO))["ticket_text"]
    assert text is not None
    golden = golden_of(draft)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text + "\n", encoding="utf-8")
    assert golden.is_file(), f"missing {golden}: run with UPDATE_GOLDEN=1 and review it"
    assert golden.read_text(encoding="utf-8") == text + "\n"


def test_every_golden_file_belongs_to_a_valid_fixture():
    expected = {golden_of(d).name for d in DRAFTS if d.parent.name == "valid"}
    assert {path.name for path in GOLDEN.glob("*.txt")} == expected


def test_the_corpus_covers_every_code():
    seen = {code for d in DRAFTS for _field, code in expected_of(d)["errors"]}
    assert seen == ALL_ERROR_CODES
    warned = {code for d in DRAFTS for _field, code in expected_of(d)["warnings"]}
    assert warned == set(WARNING_RULES) - SETTING_DEPENDENT_WARNINGS
    assert set(ERROR_RULES) <= seen


def test_the_fixed_time_is_a_thursday_night():
    assert NOW_ISO == "2026-11-26T03:00:00+00:00"
    assert NOW.weekday() == 3


def test_every_error_code_is_documented_in_the_package_and_the_readme():
    import cytrack_ticket

    readme = (FIXTURES.parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ALL_ERROR_CODES:
        assert f"\n    {code} " in cytrack_ticket.__doc__, code
        assert f"`{code}`" in readme, code
