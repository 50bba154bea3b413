"""`check`: the schema pass, then the rules, then the ticket text.

Findings order: the document-level finding (field None) first; then by the field's
position in the type schema's ``properties`` (for a draft whose issue_type is missing or
unknown: issue_type, then the shared fields in the same order); unknown keys after the
known fields, sorted by key (code point order); within one field by code. A field has at
most one error: the first of required, type, the after-hours rules
(after_hours_priority, remote_access_required, charges_required), enum, not_a_date_time,
phone_format, too_long; the rules' errors (in_future, control_character) only judge a field
without one. Warnings are only given for fields without an error.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

from . import _datetime, _json, _messages, _rules, _schemas, _settings, _text, catalogue
from ._findings import CheckResult, Finding

_KEYWORD_CODES = {
    "required": "required",
    "type": "type",
    "enum": "enum",
    "maxLength": "too_long",
    "pattern": "phone_format",
    "format": "not_a_date_time",
}
# A field has at most one error: the first failing keyword of these wins. A "const" is a rule
# such as the after-hours ones; its code is the failing subschema's "x-error-code".
_KEYWORD_RANK = {
    keyword: rank
    for rank, keyword in enumerate(
        ["required", "type", "const", "enum", "format", "pattern", "maxLength"]
    )
}
# A blank answer failing one of these keywords is reported as missing ("required").
_BLANK_MEANS_MISSING = frozenset({"pattern", "enum", "format", "const"})


@cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks(_datetime.FORMAT)(_datetime.is_local_date_time)
    return checker


@cache
def any_type_schema() -> dict[str, Any]:
    """For a draft without a known issue_type: issue_type itself plus the fields every type
    shares (`catalogue.shared_fields`), with the after-hours rules. Unknown keys cannot be
    judged without a type."""
    first = _schemas.type_schema(catalogue.issue_types()[0])
    shared = catalogue.shared_fields()
    return {
        "$schema": first["$schema"],
        "$id": "https://schemas.cytrack.invalid/ticket/any-type.schema.json",
        "type": "object",
        "properties": {
            "issue_type": {"$ref": "ticket-common.schema.json#/$defs/issue_type"},
            **{
                item.key: first["properties"][item.key]
                for item in shared
                if item.key != "issue_type"
            },
        },
        "required": [item.key for item in shared if item.required],
        "allOf": first["allOf"],
    }


@cache
def validator(issue_type: str | None) -> Draft202012Validator:
    """The validator of one type's schema (None: `any_type_schema`), built once, offline."""
    schema = _schemas.type_schema(issue_type) if issue_type else any_type_schema()
    resolver = RefResolver.from_schema(schema, store=_schemas.store())
    return Draft202012Validator(schema, resolver=resolver, format_checker=_format_checker())


def reload() -> None:
    """Forget the validators built from the schemas (`catalogue.reload` calls this)."""
    for cached in (any_type_schema, validator):
        cached.cache_clear()


def _shallow(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as the schema pass sees it. Every field is text or yes/no, so a list, object
    or number is wrong whatever it holds: replacing it by an empty one (or 0) keeps the
    verdict while sparing jsonschema from quoting a huge or deeply nested value in its
    (unused) error text, which could exhaust the stack or the int-to-str limit."""
    return {
        key: type(value)()
        if isinstance(value, dict | list | int) and type(value) is not bool
        else value
        for key, value in draft.items()
    }


def _is_blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _schema_pass(issue_type: str | None, draft: dict[str, Any]) -> tuple[list[Finding], set[str]]:
    checker = validator(issue_type)
    properties = checker.schema["properties"]
    best: dict[str, tuple[int, str, str, dict[str, Any] | None]] = {}
    unknown: set[str] = set()

    def consider(key: str, code: str, name: str, failing: dict[str, Any] | None) -> None:
        rank = _KEYWORD_RANK.get(name, len(_KEYWORD_RANK))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, code, name, failing)

    for error in checker.iter_errors(_shallow(draft)):
        keyword = error.validator
        if keyword == "required":
            for key in error.validator_value:
                if key not in draft:
                    consider(key, "required", "required", None)
        elif keyword == "additionalProperties":
            unknown.update(key for key in draft if key not in properties)
        elif error.path and error.path[0] in properties:
            key = error.path[0]
            if _is_blank(draft[key]) and keyword in _BLANK_MEANS_MISSING:
                code, name = "required", "required"
            elif keyword == "const":
                code, name = error.schema.get("x-error-code", "const"), "const"
            else:
                code, name = _KEYWORD_CODES.get(keyword, keyword), keyword
            consider(key, code, name, error.schema)
        else:  # the schemas only constrain top-level fields: a new keyword needs a mapping
            raise RuntimeError(f"unexpected schema error at {list(error.path)}: {keyword}")

    findings = [
        Finding(
            key,
            code,
            _messages.field_message(issue_type, key, name, failing=failing),
        )
        for key, (_rank, code, name, failing) in best.items()
    ]
    # A key is named as written, cut to KEY_LIMIT characters: a draft's key can be megabytes
    # long. Keys that are the same once cut give one finding.
    shown = sorted({_shorten(key) for key in unknown})
    findings += [
        Finding(
            key,
            "unknown_field",
            _messages.type_message(issue_type, "additionalProperties", key=key),
        )
        for key in shown
    ]
    return findings, set(best)


KEY_LIMIT = 60
"""How many characters of an unknown key a finding repeats (the last is "…" when cut)."""


def _shorten(text: str, limit: int = KEY_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _order(issue_type: str | None, findings: list[Finding]) -> tuple[Finding, ...]:
    properties = list(validator(issue_type).schema["properties"])
    position = {key: index for index, key in enumerate(properties)}
    unknown = len(position)

    def sort_key(finding: Finding) -> tuple[int, str, str]:
        if finding.field is None:
            return (-1, "", finding.code)
        index = position.get(finding.field, unknown)
        return (index, finding.field if index == unknown else "", finding.code)

    return tuple(sorted(findings, key=sort_key))


def check(draft: object, *, now: datetime | None = None, tz: tzinfo | None = None) -> CheckResult:
    """Judge a ticket draft (anything `json.loads` can return) at ``now``.

    ``now`` must be aware; it defaults to the local time. ``tz`` is the zone of a time of
    occurrence written without an offset: its offset is the one ``tz`` has at that wall time
    (daylight saving time included), and the ticket text states it. It defaults to now's zone
    when ``now`` is given, else to the machine's zone. Never raises on any draft.
    """
    if tz is None:
        tz = now.tzinfo if now is not None and now.tzinfo is not None else _datetime.SYSTEM_ZONE
    now = _datetime.aware_now(now)
    if not isinstance(draft, dict):
        return CheckResult(
            None, (Finding(None, "not_an_object", _messages.document_message("type")),)
        )
    given_type = draft.get("issue_type")
    issue_type = (
        given_type
        if isinstance(given_type, str) and given_type in catalogue.issue_types()
        else None
    )
    errors, failed = _schema_pass(issue_type, draft)
    ctx = _rules.Context(
        issue_type=issue_type,
        draft=draft,
        now=now,
        zone=tz,
        settings=_settings.settings(),
        failed=failed,
    )
    if ctx.clean("occurred_at"):
        ctx.occurred = _datetime.parse(draft["occurred_at"])
    for rule in _rules.ERROR_RULES.values():
        for finding in rule(ctx):
            errors.append(finding)
            ctx.failed.add(finding.field or "")
    warnings = [finding for rule in _rules.WARNING_RULES.values() for finding in rule(ctx)]
    ticket = _text.render(issue_type, draft, tz) if issue_type and not errors else None
    return CheckResult(
        issue_type,
        _order(issue_type, errors),
        _order(issue_type, warnings),
        ticket.text if ticket else None,
        ticket.parts if ticket else None,
    )


def check_json(text: str | bytes, now_iso: str | None = None, tz: str | None = None) -> str:
    """`check` for JSON text (or a draft file's bytes), returning the result as compact JSON.

    The browser worker and the CLI's ``--json`` use this, so CPython and Pyodide give
    byte-identical output: keys in the documented order, no spaces, ASCII only (lone
    surrogates and all non-ASCII characters are escaped). Text that is not JSON gives a
    result with one ``not_json`` error naming the line and column; bytes that are not UTF-8
    (the rules of `_json.decode`, which the browser's page shares) one ``not_utf8`` error.
    ``now_iso`` is an ISO date-time with offset (default: the local time). ``tz`` is `check`'s
    zone as text: ``UTC``, an offset such as ``+01:00`` (the browser passes the offset its zone
    has at the draft's time of occurrence) or an IANA name such as ``Europe/London``. A bad
    ``now_iso`` or ``tz`` raises ValueError: they come from the program, not from the user's
    draft.
    """
    now = _datetime.parse_now(now_iso) if now_iso is not None else None
    zone = _datetime.parse_zone(tz) if tz is not None else None
    try:
        draft = _json.loads(_json.decode(text) if isinstance(text, bytes) else text)
    except _json.DraftEncodingError as error:
        message = _messages.document_message(error.message, **error.values)
        result = CheckResult(None, (Finding(None, "not_utf8", message),))
    except _json.DraftJSONError as error:
        message = _messages.document_message(
            "not_json", line=error.line, column=error.column, detail=error.detail
        )
        result = CheckResult(None, (Finding(None, "not_json", message),))
    else:
        result = check(draft, now=now, tz=zone)
    return dumps(result)


def dumps(result: CheckResult) -> str:
    """The result as compact, ASCII-only JSON (the format of `check_json`)."""
    return json.dumps(result.to_dict(), separators=(",", ":"), ensure_ascii=True)
