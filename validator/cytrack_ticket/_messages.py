"""Every message a user sees comes from the schemas, never from Python.

Field messages are the field's ``x-messages`` (errors, keyed by the JSON Schema keyword
that failed, or by an engine key such as ``future``) and ``x-warnings`` (keyed by warning
code). The failing subschema's own ``x-messages`` win over the field definition's, so a
rule can say more than the field's general message (the after-hours ``priority.const``).
Messages are `str.format` templates filled with the field's schema keywords
(``{maxLength}``), every setting in settings.json (``{business_hours}``,
``{stale_after_days}``) and values from the rule (``{value}``); write ``{{``/``}}`` for
literal braces.
"""

from __future__ import annotations

from typing import Any

from . import _schemas, _settings, catalogue


class MessageMissing(LookupError):
    """A schema defines no message for something the engine reports: a bug in the schemas."""


def _scalars(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if not isinstance(value, dict | list)}


def _fill(template: str, values: dict[str, Any]) -> str:
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as error:
        raise MessageMissing(f"message {template!r} cannot be filled in: {error!r}") from error


def field_message(
    issue_type: str | None,
    key: str,
    name: str,
    *,
    failing: dict[str, Any] | None = None,
    warning: bool = False,
    **extra: Any,
) -> str:
    """The message ``name`` of field ``key`` (an x-messages or, with warning, x-warnings key);
    ``issue_type`` None words it from the fields every type shares."""
    field = catalogue.field_for(issue_type, key)
    if field is None:
        raise MessageMissing(f"the schema of {issue_type or 'every type'} has no field {key!r}")
    values = {**_settings.settings().values, **_scalars(dict(field.schema))}
    own = (failing or {}).get("x-messages", {}).get(name) if not warning else None
    if own is not None:
        values = {**values, **_scalars(failing or {})}
        template = own
    else:
        template = (field.warnings if warning else field.messages).get(name)
        if template is None:
            table = "x-warnings" if warning else "x-messages"
            raise MessageMissing(f"the schema of {issue_type}.{key} has no {table}[{name!r}]")
    return _fill(template, {**values, **extra} if extra else values)


def type_message(issue_type: str, name: str, **extra: Any) -> str:
    """A message about a whole draft of this type (its schema's top-level x-messages)."""
    schema = _schemas.type_schema(issue_type)
    template = schema.get("x-messages", {}).get(name)
    if template is None:
        raise MessageMissing(f"{issue_type}.schema.json has no x-messages[{name!r}]")
    return _fill(template, {**_settings.settings().values, "title": schema["title"], **extra})


def document_message(name: str, **extra: Any) -> str:
    """A message about the document itself (ticket.schema.json's x-messages)."""
    template = _schemas.ticket_schema().get("x-messages", {}).get(name)
    if template is None:
        raise MessageMissing(f"ticket.schema.json has no x-messages[{name!r}]")
    return _fill(template, {**_settings.settings().values, **extra})
