"""`cytrack-ticket`, called as `main(argv)` the way the console script calls it."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from cytrack_ticket import check_json
from cytrack_ticket._cli import main

from .conftest import FIXTURES, GOLDEN, NOW_ISO

VALID = FIXTURES / "phone/valid/after-hours.json"
MISSING_EXTENSION = FIXTURES / "phone/invalid/missing-extension.json"
WITH_WARNINGS = FIXTURES / "phone/valid/providers-not-checked.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "code"),
    [
        pytest.param(VALID, 0, id="valid"),
        pytest.param(WITH_WARNINGS, 0, id="valid-with-warnings"),
        pytest.param(MISSING_EXTENSION, 1, id="invalid"),
        pytest.param(FIXTURES / "malformed/invalid/array.json", 1, id="not-an-object"),
        pytest.param(FIXTURES / "malformed/invalid/not-json.json", 2, id="not-json"),
    ],
)
def test_validate_exit_codes(capsys, path, code):
    assert run(capsys, "validate", "--now", NOW_ISO, str(path))[0] == code


def test_validate_lists_findings_with_field_labels(capsys):
    code, out, _ = run(capsys, "validate", "--now", NOW_ISO, str(MISSING_EXTENSION))
    assert code == 1
    assert "not valid (1 error, 0 warnings)" in out
    assert "Phone number or extension (extension): Enter the agent's extension" in out


def test_validate_shows_warnings_of_a_valid_draft(capsys):
    code, out, _ = run(capsys, "validate", "--now", NOW_ISO, str(WITH_WARNINGS))
    assert code == 0
    assert "valid (0 errors, 1 warning)" in out
    assert (
        "Telephone system and PC hardware checked with their providers (providers_checked):" in out
    )
    assert f"cytrack-ticket render {WITH_WARNINGS}" in out


def test_validate_json_prints_the_engine_result(capsys):
    code, out, _ = run(capsys, "validate", "--json", "--now", NOW_ISO, str(MISSING_EXTENSION))
    assert code == 1
    assert out == check_json(MISSING_EXTENSION.read_text(encoding="utf-8"), NOW_ISO) + "\n"
    result = json.loads(out)
    assert list(result) == [
        "valid", "issue_type", "errors", "warnings", "ticket_text", "ticket_parts",
    ]  # fmt: skip
    assert result["errors"] == [
        {"field": "extension", "code": "required", "message": "Enter the agent's extension"}
    ]


def test_json_syntax_error_names_file_line_and_column(capsys):
    path = FIXTURES / "malformed/invalid/not-json.json"
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2 and out == ""
    assert err == (
        f"cytrack-ticket: {path}: line 4, column 3: Expecting ',' delimiter "
        "\N{EM DASH} fix the JSON and run again\n"
    )


def test_not_utf8_names_the_position(capsys, tmp_path):
    path = tmp_path / "draft.json"
    path.write_bytes(b'{\n  "subject": "caf\xe9"\n}')
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert err == (
        f"cytrack-ticket: {path}: Save the draft as UTF-8 text: byte 19 (line 2, column 18) "
        "is not UTF-8\n"
    )


def test_unreadable_file(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert code == 2
    assert "missing.json: cannot read the file: No such file or directory" in err


def test_a_byte_order_mark_is_accepted(capsys, tmp_path):
    path = tmp_path / "draft.json"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.read_bytes())
    assert run(capsys, "validate", "--now", NOW_ISO, str(path))[0] == 0


def test_stdin(capsys, monkeypatch):
    stdin(monkeypatch, MISSING_EXTENSION.read_bytes())
    code, out, _ = run(capsys, "validate", "--now", NOW_ISO, "-")
    assert code == 1 and out.startswith("<stdin>: not valid")


def test_stdin_not_json(capsys, monkeypatch):
    stdin(monkeypatch, b"{\n  'subject': 1\n}")
    code, _, err = run(capsys, "validate", "-")
    assert code == 2
    assert "<stdin>: line 2, column 3: Expecting property name enclosed in double quotes" in err


def test_render_prints_the_golden_text(capsys):
    code, out, err = run(capsys, "render", "--now", NOW_ISO, "--tz", "UTC", str(VALID))
    assert code == 0 and err == ""
    assert out == (GOLDEN / "phone-after-hours.txt").read_text(encoding="utf-8")


def test_render_puts_warnings_on_stderr(capsys):
    code, out, err = run(capsys, "render", "--now", NOW_ISO, "--tz", "UTC", str(WITH_WARNINGS))
    assert code == 0
    assert out == (GOLDEN / "phone-providers-not-checked.txt").read_text(encoding="utf-8")
    assert err.startswith("warning: Telephone system and PC hardware")


def test_render_of_an_invalid_draft_prints_errors_on_stderr(capsys, monkeypatch):
    stdin(monkeypatch, MISSING_EXTENSION.read_bytes())
    code, out, err = run(capsys, "render", "-")
    assert code == 1 and out == ""
    assert "Phone number or extension (extension): Enter the agent's extension" in err


def test_output_escapes_lone_surrogates(capsys, tmp_path):
    draft = json.loads(VALID.read_text(encoding="utf-8"))
    draft["subject"] = "Calls lost \ud800 since 02:10"
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft), encoding="ascii")
    code, out, _ = run(capsys, "render", "--now", NOW_ISO, str(path))
    assert code == 0
    assert "Subject: Calls lost \\ud800 since 02:10" in out


@pytest.mark.parametrize(
    ("argv", "title"),
    [
        pytest.param([], "CyTrack ticket draft", id="dispatcher"),
        pytest.param(["phone"], "Phone issue", id="phone"),
        pytest.param(["dashboard"], "Dashboard Reporting issue", id="dashboard"),
        pytest.param(["other"], "Other issue", id="other"),
    ],
)
def test_schema_prints_self_contained_json(capsys, argv, title):
    code, out, _ = run(capsys, "schema", *argv)
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == title
    assert "ticket-common.schema.json" in schema["$defs"]


def test_schema_of_an_unknown_type_lists_the_types(capsys):
    code, out, err = run(capsys, "schema", "printer")
    assert code == 2 and out == ""
    assert "'phone', 'dashboard', 'other'" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(
            ["--help"], ["validate", "render", "schema", "examples:", "exit codes:"], id="main"
        ),
        pytest.param(
            ["validate", "--help"],
            ["--json", "--now", "cat draft.json", "exit codes:"],
            id="validate",
        ),
        pytest.param(
            ["render", "--help"], ["> ticket.txt", "--part", "--tz", "exit codes:"], id="render"
        ),
        pytest.param(["schema", "--help"], ["TYPE", "self-contained", "$defs"], id="schema"),
    ],
)
def test_help_at_every_level(capsys, argv, expected):
    code, out, _ = run(capsys, *argv)
    assert code == 0
    for text in expected:
        assert text in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("cytrack-ticket ")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no-command"),
        pytest.param(["validate"], id="no-file"),
        pytest.param(["validate", "--now", "tomorrow", "x.json"], id="bad-now"),
        pytest.param(["validate", "--tz", "Mars/Olympus", "x.json"], id="bad-tz"),
        pytest.param(["validate", "--tz", "+24:00", "x.json"], id="bad-offset"),
        pytest.param(["render", "--part", "title", "x.json"], id="bad-part"),
        pytest.param(["frobnicate"], id="unknown-command"),
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and "usage:" in err


def test_now_decides_the_future(capsys, tmp_path: Path):
    draft = json.loads(VALID.read_text(encoding="utf-8"))
    draft["occurred_at"] = "2026-11-26T03:30"
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    assert run(capsys, "validate", "--now", NOW_ISO, "--tz", "UTC", str(path))[0] == 1
    assert run(capsys, "validate", "--now", "2026-11-26T03:30Z", "--tz", "UTC", str(path))[0] == 0


@pytest.mark.parametrize("part", ["all", "subject", "description", "priority", "after_hours"])
def test_render_part_prints_the_part_the_engine_result_carries(capsys, part):
    code, out, err = run(
        capsys, "render", "--part", part, "--now", NOW_ISO, "--tz", "UTC", str(VALID)
    )
    result = json.loads(check_json(VALID.read_text(encoding="utf-8"), NOW_ISO, "UTC"))
    assert code == 0 and err == ""
    expected = result["ticket_text"] if part == "all" else result["ticket_parts"][part]
    assert out == expected + "\n"


def test_render_without_part_prints_all_of_it(capsys):
    assert (
        run(capsys, "render", "--now", NOW_ISO, "--tz", "UTC", str(VALID))[1]
        == run(capsys, "render", "--part", "all", "--now", NOW_ISO, "--tz", "UTC", str(VALID))[1]
    )


@pytest.mark.parametrize(
    ("zone", "stated"),
    [
        pytest.param("UTC", "2026-11-26 02:10 (UTC+00:00)", id="utc"),
        pytest.param("+05:30", "2026-11-26 02:10 (UTC+05:30)", id="offset"),
        pytest.param("Europe/Berlin", "2026-11-26 02:10 (UTC+01:00)", id="iana"),
        pytest.param("Australia/Sydney", "2026-11-26 02:10 (UTC+11:00)", id="iana-summer"),
    ],
)
def test_tz_states_the_offset_of_a_time_written_without_one(capsys, zone, stated):
    code, out, _ = run(capsys, "render", "--now", "2026-11-27T00:00Z", "--tz", zone, str(VALID))
    assert code == 0
    assert f"Time of occurrence: {stated}\n" in out


def test_a_written_offset_wins_over_tz(capsys):
    path = FIXTURES / "phone/valid/multiline-offset-seconds.json"
    code, out, _ = run(capsys, "render", "--now", NOW_ISO, "--tz", "Asia/Tokyo", str(path))
    assert code == 0
    assert "Time of occurrence: 2026-11-25 14:05:30 (UTC+01:00)\n" in out


@pytest.fixture
def machine_in_new_york(monkeypatch):
    """The machine's own zone (TZ, as the C library reads it) set to New York."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_without_tz_the_machine_zone_decides_even_with_now(capsys, machine_in_new_york):
    code, out, _ = run(capsys, "render", "--now", "2026-11-27T00:00Z", str(VALID))
    assert code == 0
    assert "Time of occurrence: 2026-11-26 02:10 (UTC-05:00)\n" in out
    # 02:10 in New York is 07:10 UTC: in the future at 03:00 UTC.
    code, out, _ = run(capsys, "validate", "--json", "--now", NOW_ISO, str(VALID))
    assert code == 1
    assert json.loads(out)["errors"][0]["code"] == "in_future"


def test_a_file_name_the_system_refuses_is_unreadable(capsys):
    code, out, err = run(capsys, "validate", "draft\x00.json")
    assert (code, out) == (2, "")
    assert err == "cytrack-ticket: draft\\x00.json: cannot read the file: embedded null byte\n"


def test_a_huge_size_limit_reads_only_what_is_there(capsys):
    code, _, _ = run(capsys, "validate", "--max-bytes", str(10**18), "--now", NOW_ISO, str(VALID))
    assert code == 0


def test_a_closed_stdin_in_process(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    code, out, err = run(capsys, "validate", "-")
    assert (code, out) == (2, "")
    assert "standard input is closed" in err
