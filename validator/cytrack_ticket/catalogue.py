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
    catalogue.after_hours_terms()      # who may ask, the cost, the exclusion (portal.json)
    catalogue.portal_fields()          # the portal's fields, each taking one ticket part
    catalogue.ticket_parts()           # ("subject", "description", "priority", "after_hours")
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


def _portal_text(*keys: str) -> str:
    """A text of ``schemas/portal.json`` (by its key path), with settings filled in."""
    path = _schemas.schema_dir() / "portal.json"
    node: Any = _schemas.load("portal.json")
    try:
        for key in keys:
            node = node[key]
    except (KeyError, TypeError):
        raise ConfigError(f'{path}: add "{".".join(keys)}"') from None
    if not isinstance(node, str):
        raise ConfigError(f'{path}: make "{".".join(keys)}" a text')
    try:
        return fill(node, settings().values)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def ticket_parts() -> tuple[str, ...]:
    """The names of the parts a valid draft's ticket text is handed over in
    (`CheckResult.ticket_parts`, ``cytrack-ticket render --part``), in the portal's order."""
    from . import _text

    return _text.part_names()


@dataclass(frozen=True)
class PortalField:
    """One of the portal's fields (``schemas/portal.json``): which ticket part it takes."""

    part: str
    """The name of the ticket part (`ticket_parts`) that goes into it."""
    label: str
    """The portal's label for it."""
    choose: bool
    """Its value is chosen from the portal's own list, not pasted."""


def portal_fields() -> tuple[PortalField, ...]:
    """The portal's fields, in its order; each takes one ticket part, and every part has one."""
    path = _schemas.schema_dir() / "portal.json"
    shared = shared_field_map()
    values = {
        "priority_label": shared["priority"].title,
        "after_hours_label": shared[after_hours_trigger()[0]].title,
    }
    try:
        found = tuple(
            PortalField(
                part=str(item["part"]),
                label=fill(item["label"], values),
                choose=bool(item.get("choose", False)),
            )
            for item in _schemas.load("portal.json")["fields"]
        )
    except (KeyError, TypeError) as error:
        raise ConfigError(
            f'{path}: each of "fields" needs a "part" and a "label": {error!r}'
        ) from None
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    if tuple(item.part for item in found) != ticket_parts():
        raise ConfigError(
            f'{path}: "fields" must list the ticket parts {", ".join(ticket_parts())} in this '
            f"order, one each; it lists {', '.join(item.part for item in found) or 'none'}"
        )
    return found


def portal_after_hours_warning() -> str:
    """What happens when the after-hours step is not set correctly (``schemas/portal.json``)."""
    return _portal_text("after_hours_warning")


@dataclass(frozen=True)
class AfterHoursTerms:
    """What a reader must know where they decide to ask for after-hours help, in Cytrack's
    published words (``schemas/portal.json`` ``after_hours_terms``); ``**bold**`` marks what
    must stand out."""

    subscription: str
    """Who can ask: subscribers to the After Hours Assurance Service."""
    cost: str
    """The charging terms, filled in from the settings."""
    exclusion: str
    """What the service does not cover."""


def after_hours_terms() -> AfterHoursTerms:
    return AfterHoursTerms(
        subscription=_portal_text("after_hours_terms", "subscription"),
        cost=_portal_text("after_hours_terms", "cost"),
        exclusion=_portal_text("after_hours_terms", "exclusion"),
    )


def after_send() -> str:
    """What Cytrack says happens after a request is sent (``schemas/portal.json``)."""
    return _portal_text("after_send")


def after_hours_note() -> str:
    """Why an After Hours Support Request asks for more than the portal's steps name: the
    ``description`` of the schema's ``after_hours_rules`` (this site's advice, labelled so)."""
    return fill(_after_hours_rules().get("description", ""), settings().values)


def schema_validator(issue_type: str | None) -> Any:
    """The jsonschema validator the engine runs for this type (None: a draft without a known
    type), built once and offline: for tools and benchmarks that compare against bare
    jsonschema."""
    from . import _engine

    return _engine.validator(issue_type)


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
    "AfterHoursTerms",
    "ConfigError",
    "DraftLimits",
    "Field",
    "PortalField",
    "PortalStep",
    "Settings",
    "SettingsError",
    "Widget",
    "after_hours_keys",
    "after_hours_note",
    "after_hours_requires",
    "after_hours_terms",
    "after_hours_trigger",
    "after_send",
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
    "portal_fields",
    "portal_steps",
    "reload",
    "schema_validator",
    "settings",
    "shared_field_map",
    "shared_fields",
    "tapi_exclusion",
    "ticket_parts",
    "type_description",
    "type_title",
]
