"""A field catalogue derived from the schemas, for everything that renders fields:
the ticket text, the docs checklists and the pre-check form."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from . import _schemas

Widget = Literal["text", "textarea", "tel", "datetime-local", "radios", "select", "yes-no"]


@dataclass(frozen=True)
class Field:
    """One draft field as the schema defines it for one issue type."""

    key: str
    title: str
    description: str
    json_type: str
    widget: Widget
    options: tuple[tuple[str, str], ...] = ()
    """(value, title) pairs for enum fields, in schema order."""
    required: bool = False
    """Required for this issue type whatever the other answers."""
    after_hours: bool = False
    """Required only when After Hours Support Request is Yes."""
    max_length: int | None = None
    rows: int | None = None
    autocomplete: str | None = None
    messages: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    warnings: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    value_titles: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The schema's ``x-enum-titles``: display titles by value, booleans keyed "true"/"false"."""

    def option_title(self, value: object) -> str:
        for option, title in self.options:
            if option == value:
                return title
        return str(value)

    def value_title(self, value: object) -> str:
        """How a value reads in the ticket text: its title for enums and booleans ("Yes")."""
        if isinstance(value, bool):
            key = "true" if value else "false"
            return self.value_titles.get(key, key)
        return self.value_titles.get(str(value), str(value))


def _widget(schema: dict[str, Any]) -> Widget:
    if "x-input" in schema:
        return schema["x-input"]["widget"]
    if schema.get("type") == "boolean":
        return "yes-no"
    if len(schema.get("enum", ())) > 3:
        return "select"
    return "radios"


def _field(key: str, node: dict[str, Any], required: set[str], after_hours: set[str]) -> Field:
    schema = _schemas.resolve(node)
    titles = schema.get("x-enum-titles", {})
    enum = schema.get("enum", ())
    if "const" in schema and not enum:
        enum = (schema["const"],)
    x_input = schema.get("x-input", {})
    return Field(
        key=key,
        title=schema["title"],
        description=schema.get("description", ""),
        json_type=schema.get("type", "string"),
        widget=_widget(schema),
        options=tuple((value, titles.get(value, str(value))) for value in enum),
        required=key in required,
        after_hours=key in after_hours,
        max_length=schema.get("maxLength"),
        rows=x_input.get("rows"),
        autocomplete=x_input.get("autocomplete"),
        messages=MappingProxyType(dict(schema.get("x-messages", {}))),
        warnings=MappingProxyType(dict(schema.get("x-warnings", {}))),
        value_titles=MappingProxyType(dict(titles)),
    )


def after_hours_keys() -> tuple[str, ...]:
    """The fields an After Hours Support Request needs, in schema order."""
    rules = _schemas.common_defs()["after_hours_rules"]
    return tuple(rules["then"]["required"])


@cache
def fields(issue_type: str) -> tuple[Field, ...]:
    """Every field a draft of this type may hold, in the schema's property order."""
    schema = _schemas.type_schema(issue_type)
    required = set(schema["required"])
    after_hours = set(after_hours_keys())
    return tuple(
        _field(key, node, required, after_hours) for key, node in schema["properties"].items()
    )


def field_map(issue_type: str) -> dict[str, Field]:
    return {item.key: item for item in fields(issue_type)}


@cache
def checklist(issue_type: str) -> tuple[Field, ...]:
    """The "what to include" fields in the order of the seed's checklist for this type."""
    by_key = field_map(issue_type)
    return tuple(by_key[key] for key in _schemas.type_schema(issue_type)["x-checklist"])


def type_title(issue_type: str) -> str:
    return _schemas.type_schema(issue_type)["title"]
