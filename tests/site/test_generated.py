"""The generated snippets: checklists equal to the schemas, business hours from the
settings, and the procedures index from the front matter."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from kb_build import procedures as kb_procedures
from kb_build import snippets as kb_snippets
import pytest
from cytrack_ticket import catalogue
from kb_build.__main__ import main as kb_build_main

from ._html import Element, article

ROOT = Path(__file__).resolve().parents[2]


def _checklist(pages: dict[str, Element], url: str, key: str) -> list[tuple[str, str]]:
    lists = article(pages[url]).find_all("div", class_="kb-checklist", data_issue_type=key)
    assert len(lists) == 1, f"/{url} must show the {key} checklist once"
    items = lists[0].find_all("li")
    result = []
    for item in items:
        label = item.find("strong")
        assert label is not None
        result.append((label.text(), item.text().removeprefix(label.text()).lstrip(": ")))
    return result


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_submit_checklist_is_the_schema_checklist_in_order(
    pages: dict[str, Element], issue_type: str
):
    expected = [
        (item.title, " ".join(item.description.split()))
        for item in catalogue.checklist(issue_type)
    ]
    assert _checklist(pages, "submit/", issue_type) == expected
    assert [title for title, _ in expected] == [
        catalogue.field_map(issue_type)[key].title
        for key in json.loads(
            (ROOT / "schemas" / f"{issue_type}.schema.json").read_text(encoding="utf-8")
        )["x-checklist"]
    ]


def test_submit_after_hours_checklist_is_the_schema_after_hours_fields(
    pages: dict[str, Element],
):
    fields = catalogue.field_map("phone")
    expected = [fields[key].title for key in catalogue.after_hours_keys()]
    assert [title for title, _ in _checklist(pages, "submit/", "after-hours")] == expected


def test_business_hours_are_not_stated_while_the_settings_leave_them_unset(
    pages: dict[str, Element],
):
    assert catalogue.settings().business_hours is None
    sentence = kb_snippets.business_hours_markdown()
    assert "Cytrack's business hours are not stated in this guide" in sentence
    assert "Ask your account manager" in sentence
    text = article(pages["after-hours/"]).text()
    assert " ".join(sentence.replace("**", "").split()) in text


@pytest.fixture
def business_hours_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The schemas with business hours set, as a site sets them, through $CYTRACK_SCHEMAS."""
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for source in (ROOT / "schemas").glob("*.json"):
        (schemas / source.name).write_bytes(source.read_bytes())
    settings = json.loads((schemas / "settings.json").read_text(encoding="utf-8"))
    settings["business_hours"] = {"days": ["mon", "tue", "wed", "thu", "sat"], "start": "08:30",
                                  "end": "18:00"}  # fmt: skip
    (schemas / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    monkeypatch.setenv("CYTRACK_SCHEMAS", str(schemas))
    catalogue.reload()
    yield
    monkeypatch.delenv("CYTRACK_SCHEMAS")
    catalogue.reload()


def test_business_hours_sentence_uses_the_settings_once_set(business_hours_set: None):
    assert kb_snippets.business_hours_markdown() == (
        "**Business hours:** Monday to Thursday and Saturday, 08:30 to 18:00 (your local time), "
        "as set for this site.\n"
    )


def test_procedures_index_lists_every_procedure_with_summary_types_and_audience(
    pages: dict[str, Element],
):
    index = article(pages["procedures/"])
    entries = index.find_all("div", class_="kb-procedure-index__item")
    checked = kb_procedures.check_all(ROOT / "docs")
    assert len(entries) == len(checked) >= 4
    by_slug = {entry.attrs["data-procedure"]: entry for entry in entries}
    for item in checked:
        procedure = item.procedure
        entry = by_slug[Path(procedure.src_uri).with_suffix("").as_posix()]
        heading = entry.find("h2")
        assert heading is not None
        link = heading.find("a")
        assert link is not None and link.text() == procedure.title
        slug = Path(procedure.src_uri).stem
        assert link.attrs["href"] == f"{slug}/"
        text = entry.text()
        assert procedure.summary in text
        for issue_type in procedure.applies_to:
            assert catalogue.type_title(issue_type) in text
        audience = kb_procedures.schema()["properties"]["audience"]["x-enum-titles"]
        for reader in procedure.audience:
            assert audience[reader] in text
        assert procedure.last_reviewed is not None
        assert kb_snippets._long_date(procedure.last_reviewed) in text


def test_procedures_index_puts_the_restart_guide_first(pages: dict[str, Element]):
    entries = article(pages["procedures/"]).find_all("div", class_="kb-procedure-index__item")
    assert entries[0].attrs["data-procedure"] == "procedures/restart"


def test_index_orders_by_order_then_title():
    def item(title: str, order: int | None) -> kb_procedures.Procedure:
        return kb_procedures.Procedure(
            src_uri=f"procedures/{title.lower()}.md",
            title=title,
            summary=f"{title} summary",
            applies_to=("phone",),
            audience=("customer",),
            last_reviewed=dt.date(2026, 1, 2),
            order=order,
        )

    markdown = kb_snippets.procedures_index_markdown(
        [item("Zulu", None), item("Alpha", None), item("Mike", 2), item("Kilo", 1)]
    )
    order = re.findall(r"^## \[(\w+)\]", markdown, flags=re.MULTILINE)
    assert order == ["Kilo", "Mike", "Alpha", "Zulu"]
    assert "**Helps with:** Phone issue" in markdown
    assert "**Last reviewed:** 2 January 2026" in markdown


def test_generated_files_are_written_only_when_their_content_changes(tmp_path: Path):
    first = kb_snippets.write_snippets(tmp_path, ROOT / "docs")
    assert {path.name for path in first} == set(kb_snippets.snippets(ROOT / "docs"))
    stamps = {path: path.stat().st_mtime_ns for path in first}
    assert kb_snippets.write_snippets(tmp_path, ROOT / "docs") == []
    assert {path: path.stat().st_mtime_ns for path in first} == stamps


def test_the_pre_build_step_writes_what_the_build_includes(tmp_path: Path):
    assert kb_build_main(["--no-assets", "--out", str(tmp_path)]) == 0
    for name, content in kb_snippets.snippets(ROOT / "docs").items():
        assert (tmp_path / name).read_text(encoding="utf-8") == content
