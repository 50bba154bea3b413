"""``cytrack-ticket``: check a ticket draft, print its ticket text, print the schemas.

It always answers: whatever the input or the state of its streams, it ends with one of the
documented exit codes and at most one line on stderr, never a traceback. A reader that stops
early (``| head``) ends the output quietly, and the exit code is still the verdict.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import shlex
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import BinaryIO, TextIO

from . import _datetime, _json, _messages, _schemas, _text, catalogue
from ._engine import check, dumps
from ._findings import CheckResult, Finding

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE, EXIT_BROKEN_SETUP = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT

EXIT_CODES = """\
exit codes:
  0    the draft is valid (warnings do not count)
  1    the draft has errors: fix them and run again
  2    the draft cannot be read: no such file, not UTF-8, not JSON, larger than the
       size limit (--max-bytes) or stdin closed; the output cannot be written (a full
       disk, a closed stdout); or a usage error
  3    the checker's own schemas or settings file is broken (the message names it)
  130  interrupted (Ctrl+C)
A reader that stops early (| head) ends the output quietly; the exit code stays."""

MAIN_HELP = f"""\
examples:
  cytrack-ticket validate draft.json          list what to fix, with field names
  cytrack-ticket validate --json draft.json   the same as JSON (the browser's result)
  cytrack-ticket render draft.json            print the text to paste into the portal
  cytrack-ticket schema phone                 the JSON Schema of a phone issue draft

A draft is one JSON object, e.g. {{"issue_type": "phone", "subject": "...", ...}}; the
pre-check page on the knowledge base exports the same JSON. Run
`cytrack-ticket schema TYPE` to see every field of a type.

{EXIT_CODES}"""

VALIDATE_HELP = f"""\
examples:
  cytrack-ticket validate draft.json
  cytrack-ticket validate --json draft.json
  cat draft.json | cytrack-ticket validate -
  cytrack-ticket validate --now 2026-11-26T03:00:00+00:00 draft.json
  cytrack-ticket validate --tz Europe/London draft.json

{EXIT_CODES}"""

RENDER_HELP = f"""\
Prints the ticket text on stdout (warnings go to stderr), so it can be piped:
  cytrack-ticket render draft.json > ticket.txt
The portal has a field for each part; print one part at a time with --part:
  cytrack-ticket render --part subject draft.json       the portal's Subject
  cytrack-ticket render --part description draft.json   its Description: all but the subject
  cytrack-ticket render --part priority draft.json      the Priority to choose, e.g. Critical
If the draft has errors, nothing is printed on stdout and the errors go to stderr.

{EXIT_CODES}"""

SCHEMA_HELP = """\
Without TYPE: the dispatching schema ticket.schema.json, which applies the type's schema
chosen by issue_type. With TYPE: that type's schema.

The output is self-contained: every schema it references is embedded under "$defs" (keyed
by file name, with its own "$id"), as JSON Schema 2020-12 bundling does, so the "$ref"
values stay as written and resolve without network or other files.

exit codes:
  0    printed
  2    unknown TYPE (the types are listed), or the output cannot be written
  3    the checker's own schemas are broken (the message names the file)
  130  interrupted (Ctrl+C)"""


class _Unreadable(Exception):
    """The input cannot be judged; the message names the file and what to do."""


# What the human output shows escaped: every control character (line breaks and tabs too,
# so one finding stays one line), the invisible format characters of `_text`, and lone
# surrogates. --json escapes them as JSON does.
_HIDDEN = re.compile(f"[{_text.HIDDEN_CHARACTERS}\\ud800-\\udfff]")


def _visible(text: str) -> str:
    """``text`` with hidden characters written as escapes (``\\x1b``, ``\\u202e``), so a
    draft's keys, values and file names cannot move the cursor, recolour the terminal or
    reorder what is shown."""

    def escape(found: re.Match[str]) -> str:
        code = ord(found.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _HIDDEN.sub(escape, text)


def _now(text: str) -> datetime:
    try:
        return _datetime.parse_now(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _zone(text: str) -> tzinfo:
    try:
        return _datetime.parse_zone(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class _Parser(argparse.ArgumentParser):
    """argparse, with its help, version and usage errors kept as `Output` like every other
    answer (argparse itself would drop a failed write silently)."""

    printed: Output

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            _Parser.printed.append(("stdout" if file is sys.stdout else "stderr", message))


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    _Parser.printed = []
    parser = _Parser(
        prog="cytrack-ticket",
        description="Check a CyTrack support ticket draft (a JSON file) before you paste it\n"
        "into the vendor's support portal, and print the portal-ready ticket text.",
        epilog=MAIN_HELP,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    limit = catalogue.draft_limits().max_bytes
    draft = argparse.ArgumentParser(add_help=False)
    draft.add_argument("file", metavar="FILE", help="the draft (JSON, UTF-8); - reads stdin")
    draft.add_argument(
        "--now",
        metavar="ISO",
        type=_now,
        help="judge the draft as if it were this time, e.g. 2026-11-26T03:00:00+00:00 "
        "(for tests and reproducible results; default: the local time)",
    )
    draft.add_argument(
        "--tz",
        metavar="ZONE",
        type=_zone,
        help="the time zone of a time of occurrence written without an offset: an IANA name "
        "such as Europe/London, UTC, or an offset such as +01:00 (default: this machine's "
        "zone). The ticket text states the time with its UTC offset",
    )
    draft.add_argument(
        "--max-bytes",
        metavar="N",
        type=_byte_count,
        default=limit,
        help=f"refuse a draft larger than N bytes (default: {limit}, "
        f"{catalogue.byte_size_text(limit)}, the pre-check page's limit)",
    )

    validate = commands.add_parser(
        "validate",
        parents=[draft],
        help="check a draft and list what to fix",
        description="Check a ticket draft: list its errors (which make it invalid) and\n"
        "warnings (which do not), each with the field's name and what to do.",
        epilog=VALIDATE_HELP,
        formatter_class=formatter,
    )
    validate.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON: valid, issue_type, errors, warnings, ticket_text, "
        "ticket_parts",
    )
    render = commands.add_parser(
        "render",
        parents=[draft],
        help="print the portal-ready ticket text of a valid draft",
        description="Print the ticket text to paste into the vendor's portal.",
        epilog=RENDER_HELP,
        formatter_class=formatter,
    )
    render.add_argument(
        "--part",
        choices=("all", *catalogue.ticket_parts()),
        default="all",
        help="print only this part, for the portal's field of that name (default: all)",
    )
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the drafts",
        description="Print the JSON Schema (2020-12) that drafts are checked against.",
        epilog=SCHEMA_HELP,
        formatter_class=formatter,
    )
    schema.add_argument(
        "type",
        metavar="TYPE",
        nargs="?",
        choices=catalogue.issue_types(),
        help="one of: " + ", ".join(catalogue.issue_types()),
    )
    return parser


def _byte_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes, e.g. 2097152")
    return count


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("cytrack-ticket")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _file_label(name: str) -> str:
    return "<stdin>" if name == "-" else _visible(name)


def _message(name: str, **values: object) -> str:
    return _messages.document_message(name, **values)


_CHUNK = 1 << 20


def _read_at_most(stream: BinaryIO, count: int) -> bytes:
    """Up to ``count`` bytes, read in chunks: a huge --max-bytes must not allocate it at once."""
    parts: list[bytes] = []
    while count > 0:
        part = stream.read(min(count, _CHUNK))
        if not part:
            break
        parts.append(part)
        count -= len(part)
    return b"".join(parts)


def _read_bytes(name: str, label: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the file (or stdin); `_Unreadable` if there are more, so an
    endless input such as /dev/zero is refused after ``limit + 1`` bytes."""
    closed = f"{label}: {_message('stdin_closed')}"
    try:
        if name == "-":
            if sys.stdin is None:  # started with stdin closed (<&-)
                raise _Unreadable(closed)
            source = getattr(sys.stdin, "buffer", None)
            if source is None:  # a text stream put in its place (a test, an embedding program)
                data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
            else:
                data = _read_at_most(source, limit + 1)
        else:
            with open(name, "rb") as handle:
                data = _read_at_most(handle, limit + 1)
    except OSError as error:
        if name == "-" and error.errno == errno.EBADF:
            raise _Unreadable(closed) from None
        raise _Unreadable(f"{label}: cannot read the file: {error.strerror or error}") from None
    except ValueError as error:  # stdin closed after start, or a name holding a NUL
        raise _Unreadable(
            closed if name == "-" else f"{label}: cannot read the file: {error}"
        ) from None
    if len(data) > limit:
        size = catalogue.byte_size_text(limit)
        raise _Unreadable(f"{label}: {_message('too_large_cli', limit=size)}")
    return data


def _read(name: str, limit: int) -> object:
    """The parsed draft, or `_Unreadable` with a message naming the file and position."""
    label = _file_label(name)
    data = _read_bytes(name, label, limit)
    try:
        text = _json.decode(data)
    except _json.DraftEncodingError as error:
        raise _Unreadable(f"{label}: {_message(error.message, **error.values)}") from None
    try:
        return _json.loads(text)
    except _json.DraftJSONError as error:
        raise _Unreadable(
            f"{label}: line {error.line}, column {error.column}: {_visible(error.detail)} "
            "\N{EM DASH} fix the JSON and run again"
        ) from None


def _label(result: CheckResult, finding: Finding) -> str:
    if finding.field is None:
        return "Draft"
    field = catalogue.field_for(result.issue_type, finding.field)
    return f"{field.title} ({finding.field})" if field else _visible(finding.field)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _report(result: CheckResult, label: str) -> str:
    counts = _plural(len(result.errors), "error") + ", " + _plural(len(result.warnings), "warning")
    if result.valid:
        hint = "render -" if label == "<stdin>" else f"render {shlex.quote(label)}"
        lines = [f"{label}: valid ({counts}). Print the ticket text with: cytrack-ticket {hint}"]
    else:
        lines = [f"{label}: not valid ({counts}). Fix the errors, then run again."]
    for title, findings in (("Errors", result.errors), ("Warnings", result.warnings)):
        if findings:
            lines.append(f"\n{title}:")
            lines += [
                f"  {_label(result, finding)}: {_visible(finding.message)}" for finding in findings
            ]
    return "\n".join(lines) + "\n"


# What a command prints: (stream, text) pairs, written once the answer is complete, so that
# a stream that fails can never change the verdict.
Output = list[tuple[str, str]]
Command = Callable[[argparse.Namespace], tuple[int, Output]]


def _check(args: argparse.Namespace) -> CheckResult:
    # The machine's zone, not now's: --now is a moment, the draft's time is on a wall clock.
    zone = args.tz if args.tz is not None else _datetime.SYSTEM_ZONE
    return check(_read(args.file, args.max_bytes), now=args.now, tz=zone)


def _validate(args: argparse.Namespace) -> tuple[int, Output]:
    result = _check(args)
    code = EXIT_VALID if result.valid else EXIT_INVALID
    if args.json:
        return code, [("stdout", dumps(result) + "\n")]
    return code, [("stdout", _report(result, _file_label(args.file)))]


def _render(args: argparse.Namespace) -> tuple[int, Output]:
    result = _check(args)
    if result.ticket_text is None or result.ticket_parts is None:
        return EXIT_INVALID, [("stderr", _report(result, _file_label(args.file)))]
    output: Output = [
        ("stderr", f"warning: {_label(result, finding)}: {_visible(finding.message)}\n")
        for finding in result.warnings
    ]
    text = result.ticket_text if args.part == "all" else dict(result.ticket_parts)[args.part]
    return EXIT_VALID, [*output, ("stdout", text + "\n")]


def _schema(args: argparse.Namespace) -> tuple[int, Output]:
    name = f"{args.type}.schema.json" if args.type else "ticket.schema.json"
    text = json.dumps(_schemas.bundle(name), indent=2, ensure_ascii=False)
    return EXIT_VALID, [("stdout", text + "\n")]


def _answer(argv: list[str] | None) -> tuple[int, Output]:
    """The exit code and what to print, or the one line that says why there is no answer."""
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as stop:  # --help, --version (0) and usage errors (2)
            code = stop.code if isinstance(stop.code, int) else EXIT_UNREADABLE
            return code, _Parser.printed
        commands: dict[str, Command] = {
            "validate": _validate,
            "render": _render,
            "schema": _schema,
        }
        return commands[args.command](args)
    except _Unreadable as error:
        return EXIT_UNREADABLE, [("stderr", f"cytrack-ticket: {error}\n")]
    except (catalogue.ConfigError, _messages.MessageMissing) as error:
        return EXIT_BROKEN_SETUP, [("stderr", f"cytrack-ticket: {error}\n")]


class _WriteFailed(Exception):
    """Writing to ``stream`` ("stdout" or "stderr") failed with ``error``."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(stream, error)
        self.stream = stream
        self.error = error


def _write(output: Output) -> None:
    names = [name for name, _text in output] + ["stdout", "stderr"]
    for index, name in enumerate(names):
        stream: TextIO | None = getattr(sys, name)
        try:
            if stream is None:  # started with the stream closed (>&-)
                if name == "stdout" and index < len(output):
                    raise OSError(errno.EBADF, "standard output is closed")
            elif index < len(output):
                stream.write(output[index][1])
            else:
                stream.flush()
        except OSError as error:
            raise _WriteFailed(name, error) from None


def _discard_pending_output(*names: str) -> None:
    """Point these streams at /dev/null, so that what is still buffered for a closed pipe or
    a full disk is dropped instead of failing again (with a traceback) at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for name in names:
        # Not a real file (a test's capture), or already closed: nothing is buffered for it.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(null, getattr(sys, name).fileno())
    os.close(null)


def _say(line: str) -> None:
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code is all that is left


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (usage errors: 2, as argparse's)."""
    for stream in (sys.stdout, sys.stderr):
        # A draft may hold lone surrogates ("\ud800" in JSON): print them escaped.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    code = EXIT_UNREADABLE
    try:
        code, output = _answer(argv)
        _write(output)
    except KeyboardInterrupt:
        _discard_pending_output("stdout", "stderr")
        return EXIT_INTERRUPTED
    except _WriteFailed as failed:
        _discard_pending_output(failed.stream)
        if isinstance(failed.error, BrokenPipeError):
            return code  # the reader stopped early (| head): not an error of ours
        reason = failed.error.strerror or str(failed.error)
        if failed.stream == "stdout":  # a full disk (>/dev/full), a closed stdout (>&-)
            _say(f"cytrack-ticket: {_visible(_message('write_failed', reason=reason))}")
        return EXIT_UNREADABLE
    return code
