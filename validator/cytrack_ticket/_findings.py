"""The result of a check: findings are data, each naming its field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """One error or warning about a draft.

    ``field`` is the draft key the finding is about, or None when it is about the whole
    document (``not_an_object``, ``not_json``). ``code`` is stable and documented in the
    package docstring; ``message`` is the instruction shown to the user, from the schema.
    """

    field: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `check` found. A draft is valid when it has no errors; warnings never block."""

    issue_type: str | None
    errors: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    ticket_text: str | None = None
    """The portal-ready ticket text, only when the draft is valid."""
    ticket_parts: tuple[tuple[str, str], ...] | None = None
    """The same text as the portal's fields take it, only when the draft is valid: (name,
    text) pairs, ``subject``, ``description`` (the text without the subject line), then the
    values to choose for ``priority`` and ``after_hours``."""

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, with the keys in the documented order."""
        return {
            "valid": self.valid,
            "issue_type": self.issue_type,
            "errors": [finding.to_dict() for finding in self.errors],
            "warnings": [finding.to_dict() for finding in self.warnings],
            "ticket_text": self.ticket_text,
            "ticket_parts": None if self.ticket_parts is None else dict(self.ticket_parts),
        }
