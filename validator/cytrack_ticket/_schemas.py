"""Loads the JSON Schemas: the single source of every field's title, hint and messages."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_ENV = "CYTRACK_SCHEMAS"
"""Names another schemas folder (with its settings.json), e.g. a site's own copy or a test's."""


class ConfigError(ValueError):
    """The checker's own configuration (a schema or the settings) cannot be used; the message
    names the file and what to fix."""


def schema_dir() -> Path:
    """$CYTRACK_SCHEMAS, else the schemas shipped in the wheel, else `schemas/` of the source
    tree in an editable install."""
    override = os.environ.get(SCHEMAS_ENV)
    if override:
        return Path(override)
    bundled = Path(__file__).parent / "schemas"
    if bundled.is_dir():
        return bundled
    source = Path(__file__).resolve().parents[2] / "schemas"
    if source.is_dir():
        return source
    raise ConfigError(f"{source}: no schemas folder next to {Path(__file__).parent} or here")


@cache
def load(name: str) -> dict[str, Any]:
    """One schema file by name, e.g. ``phone.schema.json``; `ConfigError` if it is unusable."""
    path = schema_dir() / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8"
        ) from None
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{path}: line {error.lineno}, column {error.colno}: {error.msg} \N{EM DASH} "
            "fix the JSON"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must hold one JSON object")
    return data


@cache
def issue_types() -> tuple[str, ...]:
    """The issue types: the enum of the common ``issue_type`` definition."""
    try:
        return tuple(common_defs()["issue_type"]["enum"])
    except (KeyError, TypeError):
        raise ConfigError(
            f"{schema_dir() / 'ticket-common.schema.json'}: $defs.issue_type.enum must list "
            "the issue types"
        ) from None


def reload() -> None:
    """Forget the cached schema files (after an edit to schemas/)."""
    for cached in (load, issue_types, store):
        cached.cache_clear()


def type_schema(issue_type: str) -> dict[str, Any]:
    return load(f"{issue_type}.schema.json")


def ticket_schema() -> dict[str, Any]:
    return load("ticket.schema.json")


def common_defs() -> dict[str, Any]:
    return load("ticket-common.schema.json")["$defs"]


@cache
def store() -> dict[str, dict[str, Any]]:
    """Every ticket schema by its $id, so references resolve without any network access."""
    names = ["ticket-common.schema.json", "ticket.schema.json"]
    names += [f"{issue_type}.schema.json" for issue_type in issue_types()]
    return {load(name)["$id"]: load(name) for name in names}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a ``$ref`` into the common definitions, merging sibling keywords over it."""
    ref = node.get("$ref")
    if ref is None:
        return node
    document, _, pointer = ref.partition("#")
    target: Any = load(document) if document else {}
    for part in pointer.strip("/").split("/"):
        if part:
            target = target[part]
    merged = dict(resolve(target))
    merged.update({key: value for key, value in node.items() if key != "$ref"})
    return merged


def bundle(name: str) -> dict[str, Any]:
    """A schema file made self-contained: every schema it references (transitively) is
    embedded under ``$defs`` keyed by file name, keeping its ``$id``. That is JSON Schema
    2020-12's own bundling, so the ``$ref`` values stay as written and still resolve,
    with no network and no file next to it."""
    root = json.loads(json.dumps(load(name)))
    embedded: dict[str, Any] = {}
    pending = [name]
    while pending:
        for ref in _external_refs(load(pending.pop())):
            if ref != name and ref not in embedded:
                embedded[ref] = load(ref)
                pending.append(ref)
    if embedded:
        defs = root.setdefault("$defs", {})
        for ref in sorted(embedded):
            defs[ref] = json.loads(json.dumps(embedded[ref]))
    return root


def _external_refs(node: Any) -> list[str]:
    """The schema files a schema refers to by relative ``$ref``, in document order."""
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            found.append(ref.partition("#")[0])
        for value in node.values():
            found += _external_refs(value)
    elif isinstance(node, list):
        for value in node:
            found += _external_refs(value)
    return found


__all__ = [
    "SCHEMAS_ENV",
    "ConfigError",
    "bundle",
    "common_defs",
    "issue_types",
    "load",
    "reload",
    "resolve",
    "schema_dir",
    "store",
    "ticket_schema",
    "type_schema",
]
