"""Loads the JSON Schemas: the single source of every field's title, hint and messages."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ISSUE_TYPES: tuple[str, ...] = ("phone", "dashboard", "other")


def schema_dir() -> Path:
    """The schemas shipped in the wheel, or `schemas/` of the source tree in an editable install."""
    bundled = Path(__file__).parent / "schemas"
    if bundled.is_dir():
        return bundled
    source = Path(__file__).resolve().parents[2] / "schemas"
    if source.is_dir():
        return source
    raise FileNotFoundError(f"no schemas next to {Path(__file__).parent} or in {source}")


@cache
def load(name: str) -> dict[str, Any]:
    """One schema file by name, e.g. ``phone.schema.json``."""
    with (schema_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)


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
    names += [f"{issue_type}.schema.json" for issue_type in ISSUE_TYPES]
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
    "ISSUE_TYPES",
    "bundle",
    "common_defs",
    "load",
    "resolve",
    "schema_dir",
    "store",
    "ticket_schema",
    "type_schema",
]
