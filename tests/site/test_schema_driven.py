"""Adding a field is a schema change: an optional field added to one issue type's schema (in a
copy of the project) reaches the form, the checklist, the ticket text and the CLI with no other
edit. The browser's checker runs the same wheel; the parity test covers it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.project_copy import ProjectCopy, copy_project

from ._html import article, parse_file

FIELD = {
    "title": "Headset model",
    "description": "The make and model of the agent's headset, if you know it.",
    "type": "string",
    "pattern": "\\S",
    "maxLength": 80,
    "x-input": {"widget": "text", "autocomplete": "off"},
    "x-messages": {
        "required": "Enter the headset model, or leave the question out",
        "type": "Enter the headset model as text",
        "maxLength": "Shorten the headset model to {maxLength} characters or fewer",
    },
}


def _add_field(schema: dict[str, Any]) -> None:
    schema["properties"]["headset_model"] = FIELD
    schema["x-checklist"].append("headset_model")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectCopy:
    copy = copy_project(tmp_path_factory.mktemp("project"))
    copy.edit_json("schemas/phone.schema.json", _add_field)
    return copy


@pytest.fixture(scope="module")
def site(project: ProjectCopy) -> Path:
    return project.build_site()


def test_the_new_field_is_in_the_phone_checklist_only(site: Path):
    submit = article(parse_file(site / "submit" / "index.html"))
    lists = {
        div.attrs["data-issue-type"]: div.text()
        for div in submit.find_all("div", class_="kb-checklist")
    }
    assert f"{FIELD['title']}: {FIELD['description']}" in " ".join(lists["phone"].split())
    assert FIELD["title"] not in lists["dashboard"] + lists["other"]


def test_the_new_field_is_a_labelled_question_of_the_phone_form(site: Path):
    form = parse_file(site / "precheck" / "index.html")
    group = next(
        div for div in form.find_all("div") if div.attrs.get("data-kb-field") == "headset_model"
    )
    assert group.find("label").text() == FIELD["title"]
    assert group.find("input").attrs["name"] == "headset_model"
    assert FIELD["description"] in group.text()
    phone = next(
        fs for fs in form.find_all("fieldset") if fs.attrs.get("data-kb-issue-type") == "phone"
    )
    assert any(
        div.attrs.get("data-kb-field") == "headset_model" for div in phone.find_all("div")
    )


def test_the_cli_checks_the_new_field_and_puts_it_in_the_ticket_text(
    project: ProjectCopy, tmp_path: Path
):
    root = Path(__file__).resolve().parents[2]
    draft = json.loads(
        (root / "tests/fixtures/phone/valid/business-hours.json").read_text(encoding="utf-8")
    )
    now = (root / "tests/fixtures/now.txt").read_text(encoding="utf-8").strip()
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({**draft, "headset_model": "Jabra Evolve2 65"}), encoding="utf-8")
    rendered = project.python("-m", "cytrack_ticket", "render", "--now", now, str(path))
    assert rendered.returncode == 0, rendered.stderr
    assert "Headset model: Jabra Evolve2 65" in rendered.stdout

    path.write_text(json.dumps({**draft, "headset_model": "x" * 81}), encoding="utf-8")
    checked = project.python("-m", "cytrack_ticket", "validate", "--json", "--now", now, str(path))
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["errors"] == [
        {
            "field": "headset_model",
            "code": "too_long",
            "message": "Shorten the headset model to 80 characters or fewer",
        }
    ]
