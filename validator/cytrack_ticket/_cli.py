"""``cytrack-ticket``: check a ticket draft, print its ticket text, print the schemas."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import datetime, tzinfo
from typing import TextIO

from . import _datetime, _json, _schemas, catalogue
from ._engine import check, dumps
from ._findings import CheckResult, Finding

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE, EXIT_BROKEN_SETUP = 0, 1, 2, 3

EXIT_CODES = """\
exit codes:
  0  the draft is valid (warnings do not count)
  1  the draft has errors: fix them and run again
  2  the file cannot be read, is not UTF-8 or is not JSON; or a usage error
  3  the checker's own schemas or settings file is broken (the message names it)"""

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
  0  printed
  2  unknown TYPE (the types are listed)"""


class _Unreadable(Exception):
    """The input cannot be judged; the message names the file and what to do."""


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


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="cytrack-ticket",
        description="Check a CyTrack support ticket draft (a JSON file) before you paste it\n"
        "into the vendor's support portal, and print the portal-ready ticket text.",
        epilog=MAIN_HELP,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("cytrack-ticket")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _file_label(name: str) -> str:
    return "<stdin>" if name == "-" else name


def _read(name: str) -> object:
    """The parsed draft, or `_Unreadable` with a message naming the file and position."""
    label = _file_label(name)
    try:
        if name == "-":
            stream = sys.stdin
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
        else:
            with open(name, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise _Unreadable(f"{label}: cannot read the file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise _Unreadable(
            f"{label}: line {line}, column {column} (byte {error.start}): not UTF-8 text "
            "\N{EM DASH} save the file as UTF-8 and run again"
        ) from None
    try:
        return _json.loads(text)
    except _json.DraftJSONError as error:
        raise _Unreadable(
            f"{label}: line {error.line}, column {error.column}: {error.detail} "
            "\N{EM DASH} fix the JSON and run again"
        ) from None


def _label(result: CheckResult, finding: Finding) -> str:
    if finding.field is None:
        return "Draft"
    field = catalogue.field_for(result.issue_type, finding.field)
    return f"{field.title} ({finding.field})" if field else finding.field


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _report(result: CheckResult, label: str, out: TextIO) -> None:
    counts = _plural(len(result.errors), "error") + ", " + _plural(len(result.warnings), "warning")
    if result.valid:
        hint = "render -" if label == "<stdin>" else f"render {shlex.quote(label)}"
        print(
            f"{label}: valid ({counts}). Print the ticket text with: cytrack-ticket {hint}",
            file=out,
        )
    else:
        print(f"{label}: not valid ({counts}). Fix the errors, then run again.", file=out)
    for title, findings in (("Errors", result.errors), ("Warnings", result.warnings)):
        if findings:
            print(f"\n{title}:", file=out)
            for finding in findings:
                print(f"  {_label(result, finding)}: {finding.message}", file=out)


def _check(args: argparse.Namespace) -> CheckResult:
    # The machine's zone, not now's: --now is a moment, the draft's time is on a wall clock.
    zone = args.tz if args.tz is not None else _datetime.SYSTEM_ZONE
    return check(_read(args.file), now=args.now, tz=zone)


def _validate(args: argparse.Namespace) -> int:
    label = _file_label(args.file)
    result = _check(args)
    if args.json:
        print(dumps(result))
    else:
        _report(result, label, sys.stdout)
    return EXIT_VALID if result.valid else EXIT_INVALID


def _render(args: argparse.Namespace) -> int:
    label = _file_label(args.file)
    result = _check(args)
    if result.ticket_text is None or result.ticket_parts is None:
        _report(result, label, sys.stderr)
        return EXIT_INVALID
    for finding in result.warnings:
        print(f"warning: {_label(result, finding)}: {finding.message}", file=sys.stderr)
    print(result.ticket_text if args.part == "all" else dict(result.ticket_parts)[args.part])
    return EXIT_VALID


def _schema(args: argparse.Namespace) -> int:
    name = f"{args.type}.schema.json" if args.type else "ticket.schema.json"
    print(json.dumps(_schemas.bundle(name), indent=2, ensure_ascii=False))
    return EXIT_VALID


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (usage errors: 2, as argparse's)."""
    for stream in (sys.stdout, sys.stderr):
        # A draft may hold lone surrogates ("\ud800" in JSON): print them escaped.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as stop:  # --help, --version (0) and usage errors (2)
            return stop.code if isinstance(stop.code, int) else EXIT_UNREADABLE
        command = {"validate": _validate, "render": _render, "schema": _schema}[args.command]
        return command(args)
    except _Unreadable as error:
        print(f"cytrack-ticket: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except catalogue.ConfigError as error:
        print(f"cytrack-ticket: {error}", file=sys.stderr)
        return EXIT_BROKEN_SETUP
