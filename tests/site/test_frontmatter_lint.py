"""Procedure front-matter lint: broken pages fail a real strict build with a message
naming the file and the field; a stale review only warns.

The broken pages are tests/fixtures/procedures/*.md; stale-review.md is the one valid
page there (reviewed long ago)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from cytrack_ticket import catalogue
from kb_build import procedures as kb_procedures
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "procedures"
TODAY = "2026-11-26"

BROKEN = [
    pytest.param("missing-title.md", "title", "Add a title", id="missing-title"),
    pytest.param("bad-applies-to.md", "applies_to[1]", "Change 'phones'", id="bad-applies-to"),
    pytest.param("bad-date.md", "last_reviewed", "real calendar date", id="impossible-date"),
    pytest.param("unknown-key.md", "reviewer", "Remove 'reviewer'", id="unknown-key"),
    pytest.param("no-front-matter.md", "front matter", "Start the page with YAML", id="none"),
    pytest.param(
        "template-title.md", "title", "Replace the template's title", id="template-title"
    ),
    pytest.param(
        "template-summary.md", "summary", "Replace the template's summary", id="template-summary"
    ),
    pytest.param(
        "template-last-reviewed.md",
        "last_reviewed",
        "Replace the template's last_reviewed (2000-01-01)",
        id="template-last-reviewed",
    ),
]
TEMPLATE_FIXTURES = {
    "title": "template-title.md",
    "summary": "template-summary.md",
    "last_reviewed": "template-last-reviewed.md",
}


def _build(tmp_path: Path, pages: dict[str, str], today: str = TODAY):
    """A strict build of a minimal MkDocs project that uses the site's lint hook."""
    docs = tmp_path / "docs"
    (docs / "procedures").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "procedures" / "index.md").write_text("# Procedures\n", encoding="utf-8")
    for name, text in pages.items():
        (docs / "procedures" / name).write_text(text, encoding="utf-8")
    hook = ROOT / "validator" / "kb_build" / "mkdocs_hooks" / "procedures.py"
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Lint fixture\nhooks:\n  - {hook}\n", encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, kb_procedures.TODAY_ENV: today},
        capture_output=True,
        text=True,
        check=False,
    )


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "field", "instruction"), BROKEN)
def test_broken_front_matter_fails_the_strict_build_naming_file_and_field(
    tmp_path: Path, name: str, field: str, instruction: str
):
    result = _build(tmp_path, {name: _fixture(name)})
    assert result.returncode != 0
    prefix = f"ERROR   -  procedures: docs/procedures/{name}: front matter '{field}': "
    lines = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, result.stderr
    assert instruction in lines[0]


def test_all_broken_pages_are_reported_in_one_build(tmp_path: Path):
    names = [param.values[0] for param in BROKEN]
    result = _build(tmp_path, {name: _fixture(name) for name in names})
    assert result.returncode != 0
    for name in names:
        assert f"docs/procedures/{name}:" in result.stderr


def test_valid_front_matter_builds_strictly(tmp_path: Path):
    text = _fixture("stale-review.md").replace("2024-03-01", "2026-06-01")
    result = _build(tmp_path, {"fine.md": text})
    assert result.returncode == 0, result.stderr
    assert "procedures:" not in result.stderr


def test_stale_review_warns_without_failing_the_strict_build(tmp_path: Path):
    result = _build(tmp_path, {"stale-review.md": _fixture("stale-review.md")})
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING -  procedures: docs/procedures/stale-review.md: last_reviewed is 2024-03-01, "
        "more than 12 months ago (review was due on 2025-03-01)"
    ) in result.stderr


def test_review_is_not_stale_until_twelve_months_have_passed(tmp_path: Path):
    result = _build(tmp_path, {"stale-review.md": _fixture("stale-review.md")}, "2025-03-01")
    assert result.returncode == 0, result.stderr
    assert "last_reviewed" not in result.stderr


def test_an_unreadable_kb_today_fails_the_build_with_an_instruction(tmp_path: Path):
    result = _build(tmp_path, {"stale-review.md": _fixture("stale-review.md")}, "26/11/2026")
    assert result.returncode != 0
    assert "Set KB_TODAY to a date as YYYY-MM-DD" in result.stderr


# The lint function itself.

VALID = {
    "title": "Restart CyTrack",
    "summary": "When the phone system is back.",
    "applies_to": ["phone"],
    "audience": ["customer"],
    "last_reviewed": "2026-11-20",
}


def _problems(meta: dict[str, object]) -> list[tuple[str, str]]:
    return [
        (problem.field, problem.message)
        for problem in kb_procedures.check(meta, "docs/procedures/x.md")
    ]


def test_valid_front_matter_has_no_problems():
    assert _problems(VALID) == []
    assert _problems({**VALID, "time_needed": "10 minutes", "order": 2, "hide": ["toc"]}) == []
    assert _problems({**VALID, "keywords": ["wallboard", "blank screen"]}) == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(dt.date(2026, 11, 20), id="yaml-date"),
        pytest.param("2026-11-20", id="quoted-text"),
    ],
)
def test_last_reviewed_is_accepted_as_a_date_or_as_text(value: object):
    assert _problems({**VALID, "last_reviewed": value}) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param({"title": ""}, "title", "Write a title: it is empty", id="empty-title"),
        pytest.param({"title": 3}, "title", "Write the title as text", id="title-number"),
        pytest.param(
            {"applies_to": []},
            "applies_to",
            "List at least one issue type in applies_to: phone, dashboard or other",
            id="no-types",
        ),
        pytest.param(
            {"applies_to": "phone"},
            "applies_to",
            "Write applies_to as a list, e.g. applies_to: [phone, dashboard]",
            id="types-not-a-list",
        ),
        pytest.param(
            {"applies_to": ["phone", "phone"]},
            "applies_to",
            "List each issue type only once in applies_to",
            id="repeated-type",
        ),
        pytest.param(
            {"audience": ["customers"]},
            "audience[0]",
            "Change 'customers' in audience to one of customer, it-admin, support-writer",
            id="bad-audience",
        ),
        pytest.param(
            {"keywords": "wallboard"},
            "keywords",
            "Write keywords as a list of words or short phrases, e.g. keywords: "
            "[wallboard, blank screen]",
            id="keywords-not-a-list",
        ),
        pytest.param(
            {"keywords": ["wallboard", " "]},
            "keywords[1]",
            "Remove the empty entry from keywords",
            id="empty-keyword",
        ),
        pytest.param(
            {"last_reviewed": "2026-02-30"},
            "last_reviewed",
            "Write last_reviewed as a real calendar date in the form YYYY-MM-DD: "
            "'2026-02-30' does not exist",
            id="impossible-date",
        ),
        pytest.param(
            {"last_reviewed": "20/11/2026"},
            "last_reviewed",
            "Write last_reviewed as a date in the form YYYY-MM-DD, without a time, e.g. 2026-11-20",
            id="day-first-date",
        ),
        pytest.param(
            {"last_reviewed": dt.datetime(2026, 11, 20, 10, 30)},
            "last_reviewed",
            "Write last_reviewed as a date in the form YYYY-MM-DD, without a time, e.g. 2026-11-20",
            id="date-with-time",
        ),
        pytest.param(
            {"order": 0}, "order", "Write order as a whole number of 1 or more", id="order-zero"
        ),
    ],
)
def test_each_violation_names_the_field_and_says_what_to_do(
    change: dict[str, object], field: str, message: str
):
    assert _problems({**VALID, **change}) == [(field, message)]


def test_a_misspelt_key_suggests_the_right_name():
    meta = {key: value for key, value in VALID.items() if key != "last_reviewed"}
    meta["last_reviwed"] = "2026-11-20"
    assert _problems(meta) == [
        (
            "last_reviewed",
            "Add last_reviewed: the date you last checked this procedure, as YYYY-MM-DD",
        ),
        (
            "last_reviwed",
            "Change 'last_reviwed' to 'last_reviewed': front matter names are spelt exactly",
        ),
    ]


def test_every_missing_required_field_is_reported():
    fields = [field for field, _ in _problems({})]
    assert fields == ["title", "summary", "applies_to", "audience", "last_reviewed"]


def test_yaml_that_does_not_parse_names_the_line():
    text = "---\ntitle: Restart: the guide\nsummary: x\n---\nbody\n"
    meta, problems = kb_procedures.parse(text, "docs/procedures/x.md")
    assert meta is None
    assert [str(problem) for problem in problems] == [
        "docs/procedures/x.md: front matter 'front matter': Fix the YAML on line 2: "
        "mapping values are not allowed here. Quote text that contains a colon"
    ]


def test_impossible_date_reaches_the_schema_instead_of_breaking_the_yaml_parser():
    text = "---\nlast_reviewed: 2026-02-30\n---\n"
    meta, _ = kb_procedures.parse(text, "docs/procedures/x.md")
    assert meta == {"last_reviewed": "2026-02-30"}


@pytest.mark.parametrize(
    ("reviewed", "due"),
    [
        pytest.param(dt.date(2025, 11, 26), dt.date(2026, 11, 26), id="plain"),
        pytest.param(dt.date(2024, 2, 29), dt.date(2025, 2, 28), id="leap-day"),
    ],
)
def test_review_is_due_twelve_months_later(reviewed: dt.date, due: dt.date):
    assert kb_procedures.review_due(reviewed) == due


def test_overdue_only_after_the_due_date():
    item = kb_procedures.procedure(VALID, "procedures/x.md")
    assert kb_procedures.overdue(item, dt.date(2027, 11, 20)) is None
    reason = kb_procedures.overdue(item, dt.date(2027, 11, 21))
    assert reason is not None and reason.startswith("last_reviewed is 2026-11-20")


def test_the_project_procedures_pass_the_lint():
    checked = kb_procedures.check_all(ROOT / "docs")
    assert checked
    assert [str(problem) for item in checked for problem in item.problems] == []


def test_the_lint_command_exits_1_on_problems_and_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(kb_procedures.TODAY_ENV, TODAY)
    (tmp_path / "procedures").mkdir()
    for name in ("bad-date.md", "stale-review.md"):
        (tmp_path / "procedures" / name).write_text(_fixture(name), encoding="utf-8")
    assert kb_procedures.main(["--docs-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "ERROR    -  docs/procedures/bad-date.md: front matter 'last_reviewed'" in err
    assert "WARNING  -  docs/procedures/stale-review.md: last_reviewed is 2024-03-01" in err


def test_the_lint_command_can_gate_on_overdue_reviews(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(kb_procedures.TODAY_ENV, TODAY)
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "stale-review.md").write_text(
        _fixture("stale-review.md"), encoding="utf-8"
    )
    assert kb_procedures.main(["--docs-dir", str(tmp_path)]) == 0
    assert kb_procedures.main(["--docs-dir", str(tmp_path), "--fail-on-overdue"]) == 1
    capsys.readouterr()


def test_a_message_with_an_unknown_placeholder_is_a_schema_error_naming_the_file(monkeypatch):
    broken = json.loads(json.dumps(kb_procedures.schema()))
    broken["properties"]["title"]["x-messages"]["maxLength"] = "Shorten it to {maxLenght}"
    monkeypatch.setattr(kb_procedures, "schema", lambda: broken)
    with pytest.raises(catalogue.ConfigError, match=r"procedure\.schema\.json.*maxLenght"):
        kb_procedures.check({**VALID, "title": "x" * 200}, "docs/procedures/x.md")


# Template leftovers: the values compared are read from the template itself.


@pytest.mark.parametrize(("field", "name"), list(TEMPLATE_FIXTURES.items()))
def test_each_template_fixture_keeps_exactly_one_value_of_the_real_template(field: str, name: str):
    meta, _ = kb_procedures.parse(_fixture(name), f"docs/procedures/{name}")
    assert meta is not None
    template = kb_procedures.template_values()
    kept = [key for key in TEMPLATE_FIXTURES if str(meta[key]) == str(template[key])]
    assert kept == [field]


def test_an_unchanged_copy_of_the_template_fails_on_title_summary_and_last_reviewed(
    tmp_path: Path,
):
    template = kb_procedures.TEMPLATE_PATH.read_text(encoding="utf-8")
    result = _build(tmp_path, {"copied.md": template})
    assert result.returncode != 0
    prefix = "ERROR   -  procedures: docs/procedures/copied.md: front matter "
    fields = [
        line.removeprefix(prefix).split("'")[1]
        for line in result.stderr.splitlines()
        if line.startswith(prefix)
    ]
    assert fields == ["title", "summary", "last_reviewed"]


def test_a_template_leftover_is_reported_after_the_schema_errors():
    meta = {**VALID, "title": kb_procedures.template_values()["title"], "summary": 7}
    assert _problems(meta) == [
        ("summary", "Write the summary as text"),
        ("title", kb_procedures.schema()["properties"]["title"]["x-messages"]["template"]),
    ]
