"""Every message a finding can carry exists in the schemas and can be filled in."""

from __future__ import annotations

import string

import pytest

import cytrack_ticket
from cytrack_ticket import _engine, _messages, _rules, _schemas, catalogue

# Keywords that never fail on their own: structure, annotations, our extensions.
NOT_FAILING = {
    "$ref", "$schema", "$id", "$defs", "title", "description", "x-input", "x-messages",
    "x-warnings", "x-enum-titles", "x-checklist",
}  # fmt: skip
# issue_type's const in a type schema cannot fail: the engine picks the schema by it.
CANNOT_FAIL = {("issue_type", "const")}
WARNING_FIELDS = {
    "providers_not_checked": ["providers_checked"],
    "outside_business_hours": ["after_hours"],
    "tapi_not_covered": ["description"],
    "stale": ["occurred_at"],
    "placeholder": ["steps_taken", "description"],
}


def failing_keywords(issue_type: str) -> set[tuple[str, str, str | None]]:
    """(field, keyword, own message) for every keyword that constrains a field: in the
    field's own schema and in the conditional (if/then) rules."""
    schema = _schemas.type_schema(issue_type)
    found: set[tuple[str, str, str | None]] = set()
    for key, node in schema["properties"].items():
        resolved = _schemas.resolve(node)
        found.add((key, "required", None))  # a blank answer is reported as missing
        found.update((key, keyword, None) for keyword in resolved if keyword not in NOT_FAILING)
        if resolved.get("pattern") == r"\S":
            # "has a non-space character" fails only on blank text, reported as required.
            found.discard((key, "pattern", None))
    for rule in schema["allOf"]:
        then = _schemas.resolve(rule)["then"]
        for key, node in then["properties"].items():
            for keyword in node:
                if keyword not in NOT_FAILING and not keyword.startswith("x-"):
                    found.add((key, keyword, node.get("x-messages", {}).get(keyword)))
    return {item for item in found if item[:2] not in CANNOT_FAIL}


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_every_keyword_that_can_fail_has_a_message(issue_type):
    missing = []
    for key, keyword, own in sorted(failing_keywords(issue_type), key=str):
        field = catalogue.field_map(issue_type)[key]
        if own is None and keyword not in field.messages:
            missing.append(f"{key}.x-messages.{keyword}")
    assert missing == []


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_every_keyword_that_can_fail_maps_to_a_documented_code(issue_type):
    documented = set(_engine._KEYWORD_CODES) | {"const"}
    keywords = {keyword for _key, keyword, _own in failing_keywords(issue_type)}
    assert keywords <= documented
    then = _schemas.common_defs()["after_hours_rules"]["then"]["properties"]
    codes = [node.get("x-error-code") for node in then.values() if "const" in node]
    assert all(codes), "every const rule names its error code in x-error-code"
    for code in codes:
        assert f"    {code} " in cytrack_ticket.__doc__


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_every_field_message_fills_in(issue_type):
    for key, keyword, own in failing_keywords(issue_type):
        failing = {"x-messages": {keyword: own}} if own else None
        message = _messages.field_message(issue_type, key, keyword, failing=failing)
        assert message and "{" not in message and "}" not in message, (key, keyword, message)
    assert "future" in catalogue.field_map(issue_type)["occurred_at"].messages
    assert _messages.field_message(issue_type, "occurred_at", "future")


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_every_warning_rule_has_its_message(issue_type):
    assert set(WARNING_FIELDS) == set(_rules.WARNING_RULES)
    for code, keys in WARNING_FIELDS.items():
        for key in keys:
            message = _messages.field_message(issue_type, key, code, warning=True, value="n/a")
            assert message and "{" not in message, (key, code)
    declared = {(item.key, code) for item in catalogue.fields(issue_type) for code in item.warnings}
    assert declared == {(key, code) for code, keys in WARNING_FIELDS.items() for key in keys}


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_document_and_type_messages_fill_in(issue_type):
    assert "Phone issue" in _messages.type_message("phone", "additionalProperties", key="k")
    assert _messages.type_message(issue_type, "type")
    assert _messages.document_message("type").count("{") == 1
    message = _messages.document_message("not_json", line=3, column=14, detail="Expecting ','")
    assert "line 3, column 14" in message


def test_every_template_only_uses_known_placeholders():
    known = {"key", "title", "value", "line", "column", "detail"}
    for name in ["ticket.schema.json", "ticket-common.schema.json"] + [
        f"{t}.schema.json" for t in catalogue.issue_types()
    ]:
        for template in _templates(_schemas.load(name)):
            for _text, field, _spec, _conversion in string.Formatter().parse(template):
                if field is not None:
                    assert field in known or field.isidentifier(), (name, template)


def _templates(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("x-messages", "x-warnings"):
                yield from value.values()
            else:
                yield from _templates(value)
    elif isinstance(node, list):
        for value in node:
            yield from _templates(value)


def test_a_missing_message_is_reported_as_a_schema_bug():
    with pytest.raises(_messages.MessageMissing, match="subject"):
        _messages.field_message("phone", "subject", "no-such-keyword")


@pytest.mark.parametrize("issue_type", catalogue.issue_types())
def test_every_free_text_field_says_how_to_remove_control_characters(issue_type):
    judged = [
        item
        for item in catalogue.fields(issue_type)
        if item.schema.get("type") == "string" and not item.options and "format" not in item.schema
    ]
    assert {"subject", "steps_taken", "description", "recent_changes"} <= {i.key for i in judged}
    for item in judged:
        message = _messages.field_message(
            issue_type, item.key, "control_character", character="U+202E", position=3
        )
        assert message.startswith("Remove the "), (item.key, message)
        assert "U+202E, character 3" in message
        assert ("line breaks" in message) is (item.widget != "textarea"), item.key


@pytest.mark.parametrize(
    ("name", "values"),
    [
        pytest.param("not_utf8", {"byte": 3, "line": 1, "column": 4}, id="not_utf8"),
        pytest.param("not_utf8_encoding", {"encoding": "UTF-16"}, id="encoding"),
        pytest.param("not_utf8_nul", {"byte": 3, "line": 1, "column": 4}, id="nul"),
        pytest.param("too_large", {"limit": "1 MB"}, id="too_large"),
        pytest.param("too_large_cli", {"limit": "1 MB"}, id="too_large_cli"),
        pytest.param("stdin_closed", {}, id="stdin_closed"),
        pytest.param("write_failed", {"reason": "No space left on device"}, id="write_failed"),
    ],
)
def test_every_draft_file_message_is_an_instruction_from_the_schema(name, values):
    message = _messages.document_message(name, **values)
    assert message[0].isupper() and "{" not in message
    assert catalogue.document_messages()[name].startswith(message.split(":")[0])
