"""The schemas themselves: valid 2020-12, offline, bundled output equivalent."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from cytrack_ticket import _engine, _schemas, catalogue

from .conftest import fixture_drafts

NAMES = ["ticket.schema.json", "ticket-common.schema.json", "settings.schema.json"] + [
    f"{issue_type}.schema.json" for issue_type in catalogue.issue_types()
]


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_valid_json_schema_2020_12(name):
    Draft202012Validator.check_schema(_schemas.load(name))


def test_the_settings_file_matches_its_schema():
    Draft202012Validator(_schemas.load("settings.schema.json")).validate(
        _schemas.load("settings.json")
    )


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_the_checklist_names_fields_of_the_type(issue_type):
    keys = [item.key for item in catalogue.checklist(issue_type)]
    assert keys == _schemas.type_schema(issue_type)["x-checklist"]
    assert set(keys) <= set(_schemas.type_schema(issue_type)["required"])


def test_the_any_type_schema_holds_exactly_the_shared_fields():
    shared = set.intersection(
        *(set(_schemas.type_schema(t)["properties"]) for t in catalogue.issue_types())
    )
    assert set(_engine.any_type_schema()["properties"]) == shared
    Draft202012Validator.check_schema(_engine.any_type_schema())


@pytest.mark.parametrize(
    "name", ["ticket.schema.json"] + [f"{t}.schema.json" for t in catalogue.issue_types()]
)
def test_a_bundled_schema_is_self_contained_and_judges_like_the_engine(name):
    bundled = _schemas.bundle(name)
    assert json.loads(json.dumps(bundled)) == bundled
    validator = Draft202012Validator(bundled, format_checker=_engine._format_checker())
    issue_type = name.removesuffix(".schema.json")
    for path in fixture_drafts():
        try:
            draft = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if issue_type != "ticket" and (
            not isinstance(draft, dict) or draft.get("issue_type") != issue_type
        ):
            continue
        if issue_type == "ticket":
            known = isinstance(draft, dict) and draft.get("issue_type") in catalogue.issue_types()
            expected = known and _engine.validator(draft["issue_type"]).is_valid(draft)
            assert validator.is_valid(draft) == expected, path
        else:
            alone = sorted(error.message for error in validator.iter_errors(draft))
            reference = _engine.validator(issue_type).iter_errors(draft)
            assert alone == sorted(error.message for error in reference), path


def test_the_portal_has_a_field_for_each_ticket_part_labelled_as_the_schemas_say():
    fields = catalogue.portal_fields()
    assert [item.part for item in fields] == list(catalogue.ticket_parts())
    shared = catalogue.shared_field_map()
    by_part = {item.part: item for item in fields}
    assert by_part["priority"].label == shared["priority"].title
    assert by_part["after_hours"].label == shared["after_hours"].title
    assert [item.part for item in fields if item.choose] == ["priority", "after_hours"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        pytest.param([{"part": "subject"}], '"part" and a "label"', id="no-label"),
        pytest.param(
            [{"part": "subject", "label": "Subject"}], "must list the ticket parts", id="missing"
        ),
    ],
)
def test_a_portal_file_whose_fields_miss_a_part_is_refused_naming_it(
    tmp_path, monkeypatch, fields, problem
):
    import shutil

    copy = tmp_path / "schemas"
    shutil.copytree(_schemas.schema_dir(), copy)
    portal = json.loads((copy / "portal.json").read_text(encoding="utf-8"))
    portal["fields"] = fields
    (copy / "portal.json").write_text(json.dumps(portal), encoding="utf-8")
    monkeypatch.setenv(_schemas.SCHEMAS_ENV, str(copy))
    catalogue.reload()
    try:
        with pytest.raises(catalogue.ConfigError, match=problem) as raised:
            catalogue.portal_fields()
        assert "portal.json" in str(raised.value)
    finally:
        monkeypatch.undo()
        catalogue.reload()
