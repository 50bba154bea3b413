"""`cytrack-ticket` always answers: run as the installed command, whatever its input and
output streams are (a closed pipe, a full disk, a closed stdin, an endless or oversize
input), it ends with a documented exit code and at most one line on stderr, never a
traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cytrack_ticket import catalogue, check_json

from .conftest import FIXTURES, NOW_ISO

COMMAND = Path(sys.executable).parent / "cytrack-ticket"
VALID = FIXTURES / "phone/valid/business-hours.json"
WITH_WARNINGS = FIXTURES / "phone/valid/providers-not-checked.json"
LIMIT = catalogue.draft_limits().max_bytes
ESC, RLO = "\x1b", "\u202e"


def run(*argv: str, **options) -> subprocess.CompletedProcess[bytes]:
    options.setdefault("stdin", subprocess.DEVNULL)
    options.setdefault("capture_output", "stdout" not in options)
    if not options["capture_output"]:
        options.pop("capture_output")
        options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([str(COMMAND), *argv], timeout=60, check=False, **options)


def one_line(stderr: bytes) -> str:
    """The command's whole complaint: exactly one line, no traceback."""
    text = stderr.decode()
    assert "Traceback" not in text
    assert text.count("\n") == 1 and text.endswith("\n"), text
    return text


def test_the_command_is_installed():
    assert COMMAND.is_file(), "run `make generate` to install the package in .venv"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["schema"], id="schema"),
        pytest.param(["validate", "--json", "--now", NOW_ISO, str(VALID)], id="validate-json"),
        pytest.param(["validate", "--now", NOW_ISO, str(VALID)], id="validate"),
        pytest.param(["render", "--now", NOW_ISO, str(VALID)], id="render"),
        pytest.param(["--help"], id="help"),
    ],
)
def test_a_closed_pipe_ends_quietly_with_the_verdict(argv):
    # The reading end is closed before the command writes, so every write meets EPIPE: the
    # same as `| head -c 10` when head has already gone.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(*argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == 0


def test_a_reader_that_stops_early_gets_no_traceback():
    big = json.loads(VALID.read_text(encoding="utf-8"))
    big.update({f"unknown_{index}": "x" for index in range(3000)})  # ~400 KB of findings
    with subprocess.Popen(
        [str(COMMAND), "validate", "--now", NOW_ISO, "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(big).encode())
        process.stdin.close()
        assert len(process.stdout.read(10)) == 10
        process.stdout.close()
        assert process.wait(timeout=60) == 1  # the draft's verdict: it has errors
        assert process.stderr is not None and process.stderr.read() == b""


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["render", "--now", NOW_ISO, str(VALID)], id="render"),
        pytest.param(["validate", "--json", str(VALID)], id="validate-json"),
        pytest.param(["schema"], id="schema"),
        pytest.param(["--version"], id="version"),
    ],
)
def test_a_full_disk_exits_2_with_one_line(argv):
    with open("/dev/full", "wb") as full:
        result = run(*argv, stdout=full)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "cytrack-ticket: Check where the output goes: it could not be written "
        "(No space left on device)\n"
    )


def test_a_closed_stdout_exits_2_with_one_line():
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" validate "$1" >&-', str(COMMAND), str(VALID)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "it could not be written (standard output is closed)" in one_line(result.stderr)


def test_a_closed_stdin_exits_2_with_one_line():
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" validate - <&-', str(COMMAND)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "cytrack-ticket: <stdin>: Pipe a draft into the command, or name its file: "
        "standard input is closed\n"
    )


@pytest.mark.parametrize(
    ("argv", "stdin_path"),
    [
        pytest.param(["validate", "/dev/zero"], None, id="file"),
        pytest.param(["validate", "-"], "/dev/zero", id="stdin"),
        pytest.param(["render", "/dev/urandom"], None, id="random-bytes"),
    ],
)
def test_an_endless_input_is_refused_at_the_size_limit(argv, stdin_path):
    with open(stdin_path or os.devnull, "rb") as stdin:
        result = run(*argv, stdin=stdin)  # the timeout of `run` stops a runaway read
    assert result.returncode == 2
    assert "it is larger than 1 MB. If it is one, raise the limit with --max-bytes" in one_line(
        result.stderr
    )


def test_the_size_limit_is_the_pages_and_can_be_raised(tmp_path):
    draft = VALID.read_bytes()
    at_limit = tmp_path / "at-limit.json"
    at_limit.write_bytes(draft + b" " * (LIMIT - len(draft)))
    over = tmp_path / "over.json"
    over.write_bytes(draft + b" " * (LIMIT + 1 - len(draft)))
    assert LIMIT == 1024 * 1024
    assert run("validate", "--now", NOW_ISO, str(at_limit)).returncode == 0
    refused = run("validate", "--now", NOW_ISO, str(over))
    assert refused.returncode == 2 and refused.stdout == b""
    assert f"{over}: Check that this is a ticket draft: it is larger than 1 MB" in one_line(
        refused.stderr
    )
    raised = run("validate", "--max-bytes", str(LIMIT + 1), "--now", NOW_ISO, str(over))
    assert raised.returncode == 0
    lowered = run("validate", "--max-bytes", "100", str(VALID))
    assert lowered.returncode == 2 and "larger than 100 bytes" in lowered.stderr.decode()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("0", id="zero"),
        pytest.param("1MB", id="unit"),
        pytest.param("-5", id="negative"),
    ],
)
def test_a_wrong_size_limit_is_a_usage_error(value):
    result = run("validate", "--max-bytes", value, str(VALID))
    assert result.returncode == 2
    assert "is not a number of bytes" in result.stderr.decode()


def hostile_draft(tmp_path: Path) -> Path:
    draft = json.loads(VALID.read_text(encoding="utf-8"))
    draft["subject"] = f"Calls lost {ESC}[2J{ESC}]0;pwned\x07 since 10:15"
    draft["description"] = f"Total: 100{RLO}00.01 GBP\x00"
    draft[f"{ESC}[31mred{RLO}key\n"] = "x"
    path = tmp_path / f"draft{ESC}[1m{RLO}.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "render"])
def test_human_output_shows_control_characters_escaped(tmp_path, command):
    path = hostile_draft(tmp_path)
    result = run(command, "--now", NOW_ISO, str(path))
    assert result.returncode == 1
    shown = (result.stdout + result.stderr).decode()
    for hidden in (ESC, RLO, "\x00", "\x07"):
        assert hidden not in shown
    assert "draft\\x1b[1m\\u202e.json: not valid (3 errors" in shown
    assert "\\x1b[31mred\\u202ekey\\x0a: Remove " in shown
    assert "Subject (subject): Remove the line breaks and hidden control characters" in shown
    assert "Detailed description of the issue (description): Remove the hidden control" in shown


def test_json_output_stays_exact_json(tmp_path):
    path = hostile_draft(tmp_path)
    result = run("validate", "--json", "--now", NOW_ISO, str(path))
    assert result.returncode == 1
    assert result.stdout.isascii()
    assert result.stdout.decode() == check_json(path.read_bytes(), NOW_ISO) + "\n"
    fields = [error["field"] for error in json.loads(result.stdout)["errors"]]
    assert fields == ["subject", "description", f"{ESC}[31mred{RLO}key\n"]


def test_a_valid_ticket_never_carries_control_characters(tmp_path):
    draft = json.loads(VALID.read_text(encoding="utf-8"))
    draft["steps_taken"] = "Restarted the PC\x1b[8m (hidden text)"
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    result = run("render", "--now", NOW_ISO, str(path))
    assert result.returncode == 1 and result.stdout == b""
