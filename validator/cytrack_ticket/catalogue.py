"""The public catalogue: everything that renders or reasons about ticket fields reads it here.

Every fact comes from ``schemas/`` alone (the single source): the issue types and their
titles, the fields of each type with their titles, hints, widgets and messages, the "what to
include" checklists, the fields every type shares, the after-hours fields and the answer that
triggers them, the value titles (Yes/No...) with the JSON value each stands for, and the
checked site settings. The generators in ``kb_build``, the CLI and the tests use this module;
nothing outside the package imports its private modules.

    from cytrack_ticket import catalogue

    catalogue.issue_types()            # ("phone", "dashboard", "other"), the schema's enum
    catalogue.type_title("phone")      # "Phone issue"
    catalogue.fields("phone")          # every Field of a phone draft, in schema order
    catalogue.checklist("phone")       # the "what to include" fields, in x-checklist order
    catalogue.shared_fields()          # the fields every type defines identically
    catalogue.after_hours_trigger()    # ("after_hours", True)
    catalogue.settings()               # the checked schemas/settings.json
    catalogue.portal_steps()           # the portal's six steps (schemas/portal.json)
    catalogue.draft_limits()           # DraftLimits(max_bytes=1048576, max_depth=64)
    catalogue.document_messages()      # ticket.schema.json's x-messages, as templates
    catalogue.reload()                 # forget everything cached, after editing schemas/
    catalogue.fill(template, values)   # a schema text's {placeholders} filled, strictly

A broken schema or settings file raises `ConfigError` (or its subclass `SettingsError`)
naming the file and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from . import _schemas, _settings
from ._schemas import ConfigError
from ._settings import Settings, SettingsError, fill

Widget = Literal["text", "textarea", "tel", "datetime-local", "radios", "select", "yes-no"]


@dataclass(frozen=True)
class Field:
    """One draft field as the schema defines it for one issue type."""

    key: str
    title: str
    description: str
    """The hint, with settings placeholders filled in."""
    widget: Widget
    options: tuple[tuple[Any, str], ...] = ()
    """(JSON value, title) pairs in schema order: enum values, or true/false for yes-no."""
    required: bool = False
    """Required for this issue type whatever the other answers."""
    after_hours: bool = False
    """Required only when the after-hours trigger is answered."""
    max_length: int | None = None
    rows: int | None = None
    autocomplete: str | None = None
    messages: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    warnings: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    schema: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The field's schema with its ``$ref`` resolved (keywords fill message placeholders)."""

    def value_title(self, value: object) -> str:
        """How a value reads in the ticket text and the form: its title ("Yes", "Critical")."""
        for option, title in self.options:
            if option == value and type(option) is type(value):
                return title
        return str(value)


def _widget(schema: dict[str, Any]) -> Widget:
    if "x-input" in schema:
        return schema["x-input"]["widget"]
    if schema.get("type") == "boolean":
        return "yes-no"
    if len(schema.get("enum", ())) > 3:
        return "select"
    return "radios"


def _options(schema: dict[str, Any]) -> tuple[tuple[Any, str], ...]:
    titles = schema.get("x-enum-titles", {})
    if schema.get("type") == "boolean":
        return tuple((value, titles[str(value).lower()]) for value in (True, False))
    enum = schema.get("enum", ())
    if "const" in schema and not enum:
        enum = (schema["const"],)
    return tuple((value, titles.get(value, str(value))) for value in enum)


def _field(key: str, node: dict[str, Any], required: set[str], after_hours: set[str]) -> Field:
    schema = _schemas.resolve(node)
    x_input = schema.get("x-input", {})
    return Field(
        key=key,
        title=schema["title"],
        description=_settings.fill(schema.get("description", ""), settings().values),
        widget=_widget(schema),
        options=_options(schema),
        required=key in required,
        after_hours=key in after_hours,
        max_length=schema.get("maxLength"),
        rows=x_input.get("rows"),
        autocomplete=x_input.get("autocomplete"),
        messages=MappingProxyType(dict(schema.get("x-messages", {}))),
        warnings=MappingProxyType(dict(schema.get("x-warnings", {}))),
        schema=MappingProxyType(schema),
    )


def issue_types() -> tuple[str, ...]:
    """The issue types, in the order of the schema's ``issue_type`` enum."""
    return _schemas.issue_types()


def type_title(issue_type: str) -> str:
    return _schemas.type_schema(issue_type)["title"]


def type_description(issue_type: str) -> str:
    return _schemas.type_schema(issue_type).get("description", "")


def tapi_exclusion(issue_type: str) -> bool:
    """After-hours support for this type excludes resets due to TAPI CTI availability (the
    type schema's ``x-tapi-exclusion``), so such a request gets a warning."""
    return bool(_schemas.type_schema(issue_type).get("x-tapi-exclusion", False))


def _after_hours_rules() -> dict[str, Any]:
    return _schemas.common_defs()["after_hours_rules"]


def after_hours_keys() -> tuple[str, ...]:
    """The fields an After Hours Support Request needs, in schema order."""
    return tuple(_after_hours_rules()["then"]["required"])


def after_hours_trigger() -> tuple[str, Any]:
    """The field and answer that make a draft an After Hours Support Request."""
    ((key, condition),) = _after_hours_rules()["if"]["properties"].items()
    return key, condition["const"]


def after_hours_requires() -> dict[str, Any]:
    """The answers an After Hours Support Request must have, e.g. {"priority": "critical"}."""
    return {
        key: node["const"]
        for key, node in _after_hours_rules()["then"].get("properties", {}).items()
        if "const" in node
    }


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
def shared_fields() -> tuple[Field, ...]:
    """The fields every issue type defines identically, issue_type first, then in the first
    type's order. A draft without a known type is judged on these, and they word its findings."""
    types = issue_types()
    schemas = [_schemas.type_schema(issue_type) for issue_type in types]
    first = schemas[0]["properties"]
    keys = ["issue_type"] + [
        key
        for key, node in first.items()
        if key != "issue_type" and all(s["properties"].get(key) == node for s in schemas)
    ]
    by_key = field_map(types[0])
    common_required = set.intersection(*(set(s["required"]) for s in schemas))
    return tuple(
        by_key[key] if key in common_required or key == "issue_type" else _optional(by_key[key])
        for key in keys
    )


def _optional(item: Field) -> Field:
    from dataclasses import replace

    return replace(item, required=False)


def shared_field_map() -> dict[str, Field]:
    return {item.key: item for item in shared_fields()}


def fields_for(issue_type: str | None) -> tuple[Field, ...]:
    """The fields of a type, or the shared fields for a draft without a known type."""
    return fields(issue_type) if issue_type else shared_fields()


def field_for(issue_type: str | None, key: str) -> Field | None:
    """One field of a type (or of the shared fields for None), or None if it has no such key."""
    return (field_map(issue_type) if issue_type else shared_field_map()).get(key)


@cache
def checklist(issue_type: str) -> tuple[Field, ...]:
    """The "what to include" fields in the order of the seed's checklist for this type."""
    by_key = field_map(issue_type)
    return tuple(by_key[key] for key in _schemas.type_schema(issue_type)["x-checklist"])


@dataclass(frozen=True)
class PortalStep:
    """One of the portal's steps (``schemas/portal.json``); ``**bold**`` marks its labels."""

    text: str
    """The step in general, as the knowledge base states it."""
    for_ticket: str
    """The step for one checked ticket (the answers to choose filled in)."""
    after_hours: bool
    """The step that decides whether an after-hours request is triggered."""


def portal_steps(priority_value: str = "", after_hours_value: str = "") -> tuple[PortalStep, ...]:
    """The steps to submit a ticket in the vendor's portal, in order."""
    path = _schemas.schema_dir() / "portal.json"
    shared = shared_field_map()
    values = {
        **settings().values,
        "priority_label": shared["priority"].title,
        "after_hours_label": shared[after_hours_trigger()[0]].title,
        "priority_value": priority_value,
        "after_hours_value": after_hours_value,
    }
    try:
        return tuple(
            PortalStep(
                text=fill(step["text"], values),
                for_ticket=fill(step.get("for_ticket", step["text"]), values),
                after_hours=bool(step.get("after_hours", False)),
            )
            for step in _schemas.load("portal.json")["steps"]
        )
    except (KeyError, TypeError) as error:
        raise ConfigError(f'{path}: each step needs a "text": {error!r}') from None
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def portal_after_hours_warning() -> str:
    """What happens when the after-hours step is not set correctly (``schemas/portal.json``)."""
    try:
        return str(_schemas.load("portal.json")["after_hours_warning"])
    except KeyError:
        path = _schemas.schema_dir() / "portal.json"
        raise ConfigError(f'{path}: add "after_hours_warning"') from None


@dataclass(frozen=True)
class DraftLimits:
    """What a draft file may be (ticket.schema.json ``x-draft-limits``): the CLI and the
    pre-check page refuse larger files, and both refuse deeper nesting."""

    max_bytes: int
    max_depth: int


def draft_limits() -> DraftLimits:
    limits = _schemas.ticket_schema().get("x-draft-limits")
    try:
        return DraftLimits(max_bytes=int(limits["max_bytes"]), max_depth=int(limits["max_depth"]))
    except (KeyError, TypeError, ValueError):
        path = _schemas.schema_dir() / "ticket.schema.json"
        raise ConfigError(
            f'{path}: set "x-draft-limits" to {{"max_bytes": N, "max_depth": N}}'
        ) from None


def byte_size_text(count: int) -> str:
    """A size as the limits are worded: 1048576 -> "1 MB", 1536 -> "1.5 KB"."""
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def document_messages() -> MappingProxyType[str, str]:
    """The messages about a draft as a whole and about draft files (ticket.schema.json
    ``x-messages``), unfilled: the pre-check page fills in the same templates as the CLI."""
    return MappingProxyType(dict(_schemas.ticket_schema().get("x-messages", {})))


def settings() -> Settings:
    """The site's settings (``schemas/settings.json``), loaded and checked once."""
    return _settings.settings()


def reload() -> None:
    """Forget every cached schema, field and setting, e.g. after ``schemas/`` was edited."""
    for cached in (fields, shared_fields, checklist):
        cached.cache_clear()
    _schemas.reload()
    _settings.settings.cache_clear()
    from . import _engine

    _engine.reload()


__all__ = [
    "ConfigError",
    "DraftLimits",
    "Field",
    "PortalStep",
    "Settings",
    "SettingsError",
    "Widget",
    "after_hours_keys",
    "after_hours_requires",
    "after_hours_trigger",
    "byte_size_text",
    "checklist",
    "document_messages",
    "draft_limits",
    "field_for",
    "field_map",
    "fields",
    "fields_for",
    "fill",
    "issue_types",
    "portal_after_hours_warning",
    "portal_steps",
    "reload",
    "settings",
    "shared_field_map",
    "shared_fields",
    "tapi_exclusion",
    "type_description",
    "type_title",
]
