"""The ticket pre-check form, generated from the public catalogue (the schemas) into
build/generated/precheck-form.html, which docs/precheck/index.md includes with
pymdownx.snippets. Outside docs/, so `mkdocs serve` does not loop.

The form is plain HTML that works before any script runs: every control's name is the draft's
JSON key, every label and hint is the schema's title and description. A JSON block
(``<script type="application/json" id="precheck-catalogue">``, data, never run) tells the
script docs/assets/precheck/precheck.js what it must not hard-code: the JSON value each choice
stands for, the after-hours trigger and which fields it reveals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import Any

from cytrack_ticket import catalogue
from cytrack_ticket.catalogue import Field

from . import markup, precheck_assets
from .paths import GENERATED_DIR

OUTPUT = GENERATED_DIR / "precheck-form.html"
PREFIX = "precheck-"


class FormError(ValueError):
    """The schemas describe a field the form cannot show; the message names it."""


def _attrs(**attributes: str | int | bool | None) -> str:
    parts = []
    for name, value in attributes.items():
        name = name.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _control_id(key: str) -> str:
    return f"{PREFIX}{key}"


def _hint(field: Field, hint_id: str) -> str:
    if not field.description:
        return ""
    return f'<div class="kb-hint" id="{hint_id}">{escape(field.description)}</div>'


def control_value(field: Field, value: Any) -> str:
    """How a choice's JSON value is written in its HTML control: text as is; anything else
    (true/false) by its title ("yes"/"no"). The catalogue block maps it back."""
    return value if isinstance(value, str) else field.value_title(value).casefold()


def _choices(field: Field) -> tuple[tuple[str, str], ...]:
    return tuple((control_value(field, value), title) for value, title in field.options)


def _radios(field: Field, *, heading: bool = False) -> Iterator[str]:
    control_id = _control_id(field.key)
    hint_id = f"{control_id}-hint"
    described = hint_id if field.description else None
    legend = (
        f'<legend class="kb-fieldset__legend kb-fieldset__legend--heading">'
        f'<h2 class="kb-fieldset__heading">{escape(field.title)}</h2></legend>'
        if heading
        else f'<legend class="kb-fieldset__legend">{escape(field.title)}</legend>'
    )
    group_class = "kb-fieldset kb-precheck__group" if heading else "kb-fieldset"
    yield (
        f'<div class="kb-form-group" data-kb-field="{field.key}" data-kb-widget="{field.widget}">'
        f'<fieldset class="{group_class}"{_attrs(aria_describedby=described)}>{legend}'
    )
    yield _hint(field, hint_id)
    yield '<div class="kb-radios">'
    for index, (value, title) in enumerate(_choices(field)):
        # The first choice carries the field's id, so error links land on the group.
        item_id = control_id if index == 0 else f"{control_id}-{value}"
        yield (
            f'<div class="kb-radios__item">'
            f'<input class="kb-radios__input"{_attrs(id=item_id, name=field.key, type="radio")}'
            f"{_attrs(value=value)}>"
            f'<label class="kb-radios__label" for="{item_id}">{escape(title)}</label></div>'
        )
    yield "</div></fieldset></div>"


def _single(field: Field) -> Iterator[str]:
    control_id = _control_id(field.key)
    hint_id = f"{control_id}-hint"
    described = hint_id if field.description else None
    yield f'<div class="kb-form-group" data-kb-field="{field.key}" data-kb-widget="{field.widget}">'
    yield f'<label class="kb-label" for="{control_id}">{escape(field.title)}</label>'
    yield _hint(field, hint_id)
    common = {"id": control_id, "name": field.key, "aria_describedby": described}
    if field.widget == "textarea":
        yield (
            f'<textarea class="kb-textarea"{_attrs(**common, rows=field.rows or 4)}'
            f"{_attrs(autocomplete=field.autocomplete)}></textarea>"
        )
    elif field.widget == "select":
        placeholder = field.messages.get("required", field.title)
        yield f'<select class="kb-select"{_attrs(**common)}>'
        yield f'<option value="">{escape(placeholder)}</option>'
        for value, title in field.options:
            yield f'<option value="{escape(value)}">{escape(title)}</option>'
        yield "</select>"
    else:
        kind = {"text": "text", "tel": "tel", "datetime-local": "datetime-local"}[field.widget]
        wide = " kb-input--wide" if kind == "text" else ""
        spellcheck = "false" if kind == "tel" else None
        yield (
            f'<input class="kb-input{wide}"{_attrs(**common, type=kind)}'
            f"{_attrs(autocomplete=field.autocomplete, spellcheck=spellcheck)}>"
        )
    yield "</div>"


def _field_html(field: Field) -> str:
    if field.widget in ("radios", "yes-no"):
        return "".join(_radios(field))
    if field.widget in ("text", "textarea", "tel", "datetime-local", "select"):
        return "".join(_single(field))
    raise FormError(f"schemas/: field {field.key!r} has an unknown widget {field.widget!r}")


def _group(
    group_id: str, legend: str, note: str, fields: Iterable[object], **data: str | None
) -> str:
    note_html = f'<p class="kb-precheck__group-note">{escape(note)}</p>' if note else ""
    body = "".join(_field_html(field) for field in fields)
    return (
        f'<fieldset class="kb-fieldset kb-precheck__group"{_attrs(id=group_id, **data)}>'
        f'<legend class="kb-fieldset__legend kb-fieldset__legend--heading">'
        f'<h2 class="kb-fieldset__heading">{escape(legend)}</h2></legend>'
        f"{note_html}{body}</fieldset>"
    )


def _download_bytes() -> int | None:
    """What the checker's worker downloads before it is ready, as the server sends it (with
    Brotli), for a determinate progress bar: every runtime file but the full standard library,
    which it only fetches if a module is missing from the trimmed one."""
    runtime = precheck_assets.manifest()
    if runtime is None:
        return None
    return sum(
        file["brotli"] for path, file in runtime["files"].items() if path != runtime["fullStdlib"]
    )


def catalogue_data() -> dict[str, Any]:
    """What the script needs as data: each field's JSON value by control value (choices only),
    and the after-hours trigger as control value."""
    trigger, triggered = catalogue.after_hours_trigger()
    values: dict[str, dict[str, Any]] = {}
    for issue_type in catalogue.issue_types():
        for field in catalogue.fields(issue_type):
            if field.options and any(not isinstance(v, str) for v, _ in field.options):
                values[field.key] = {control_value(field, v): v for v, _ in field.options}
    trigger_field = catalogue.shared_field_map()[trigger]
    return {
        "values": values,
        "after_hours_trigger": {"field": trigger, "value": control_value(trigger_field, triggered)},
    }


def _json_block(data: dict[str, Any]) -> str:
    # "</" cannot end the block early: JSON allows "\/" for "/".
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{PREFIX}catalogue">{text}</script>'


_STEP_VALUES = {"priority": "\x00priority\x00", "after_hours": "\x00after_hours\x00"}


def _step_html(step: catalogue.PortalStep) -> str:
    html = markup.to_html(step.for_ticket)
    for key, marker in _STEP_VALUES.items():
        html = html.replace(marker, f'<span id="{PREFIX}step-{key}"></span>')
    if step.after_hours:
        html += (
            f' <span id="{PREFIX}step-after-hours-note" hidden>'
            f"{escape(catalogue.portal_after_hours_warning())}</span>"
        )
    return f"<li>{html}</li>"


def render() -> str:
    """The whole pre-check block: status, form, error summary, warnings and the result."""
    types = catalogue.issue_types()
    shared = catalogue.shared_fields()
    shared_keys = {f.key for f in shared}
    trigger, _ = catalogue.after_hours_trigger()
    after_hours_keys = catalogue.after_hours_keys()
    issue_type = next(f for f in shared if f.key == "issue_type")
    after_hours_fields = [f for f in shared if f.key in after_hours_keys]
    # The questions the after-hours rule itself reads (Priority, After Hours Support Request)
    # come last in "About the issue", right above the details they reveal.
    rule_keys = ({trigger} | set(catalogue.after_hours_requires())) - set(after_hours_keys)
    about = [f for f in shared if f.key not in after_hours_keys and f.key != "issue_type"]
    about.sort(key=lambda f: f.key in rule_keys)
    after_hours_field = catalogue.shared_field_map()[trigger]

    groups = ["".join(_radios(issue_type, heading=True))]
    for kind in types:
        own = [f for f in catalogue.fields(kind) if f.key not in shared_keys]
        title = catalogue.type_title(kind)
        groups.append(
            _group(
                f"{PREFIX}group-{kind}",
                f"{title}: details",
                f"Only asked for the type {title}.",
                own,
                data_kb_issue_type=kind,
            )
        )
    groups.append(_group(f"{PREFIX}group-about", "About the issue", "", about))
    groups.append(
        _group(
            f"{PREFIX}group-after_hours",
            "After-hours details",
            f"Needed when {after_hours_field.title} is "
            f"{after_hours_field.value_title(catalogue.after_hours_trigger()[1])}.",
            after_hours_fields,
            data_kb_after_hours="",
        )
    )
    steps = catalogue.portal_steps(_STEP_VALUES["priority"], _STEP_VALUES["after_hours"])
    download = _download_bytes()
    return "\n".join(
        [
            f'<div class="kb-precheck" data-kb-precheck{_attrs(data_kb_download_bytes=download)}>',
            _json_block(catalogue_data()),
            # Everything below the form is revealed by the script; without it the form is the
            # checklist, and the button does nothing (method="dialog" outside a dialog). The
            # status box holds its place from the first paint, so that nothing moves when the
            # script fills it in; without scripting it takes none (precheck.css).
            f'<div class="kb-precheck__status" id="{PREFIX}status">'
            f'<p class="kb-precheck__status-text" id="{PREFIX}status-text" role="status"'
            ' tabindex="-1"></p>'
            f'<div class="kb-precheck__meter" id="{PREFIX}meter" hidden>'
            f'<progress class="kb-precheck__progress" id="{PREFIX}progress" max="100"'
            f' aria-labelledby="{PREFIX}status-text"></progress>'
            f' <span class="kb-precheck__progress-text" id="{PREFIX}progress-text"></span>'
            "</div></div>",
            '<noscript><div class="admonition info"><p class="admonition-title">'
            "The check needs JavaScript</p><p>You can still fill in the form and use it as a "
            'checklist: see <a href="#if-the-check-cannot-start">If the check cannot start</a>.'
            "</p></div></noscript>",
            f'<div class="kb-precheck__restored" id="{PREFIX}restored" hidden>'
            f'<p class="kb-precheck__restored-text" id="{PREFIX}restored-text"></p></div>',
            f'<div class="kb-error-summary" id="{PREFIX}error-summary" tabindex="-1" hidden'
            f' aria-labelledby="{PREFIX}error-summary-title">'
            f'<h2 class="kb-error-summary__title" id="{PREFIX}error-summary-title">'
            "There is a problem</h2>"
            '<ul class="kb-error-summary__list"></ul></div>',
            f'<form class="kb-precheck__form" id="{PREFIX}form" method="dialog" novalidate'
            f' aria-label="Ticket draft">',
            *groups,
            f'<div class="kb-precheck__actions" id="{PREFIX}actions" hidden>'
            f'<button class="md-button md-button--primary" id="{PREFIX}check" type="submit">'
            "Check ticket</button></div>",
            "</form>",
            f'<section class="kb-precheck__warnings" id="{PREFIX}warnings" hidden'
            f' aria-labelledby="{PREFIX}warnings-title">'
            f'<h2 id="{PREFIX}warnings-title">Check before you send</h2>'
            "<p>These do not stop you sending the ticket.</p>"
            '<ul class="kb-precheck__warning-list"></ul></section>',
            f'<section class="kb-precheck__result" id="{PREFIX}result" hidden'
            f' aria-labelledby="{PREFIX}result-title">'
            f'<h2 id="{PREFIX}result-title" tabindex="-1">Your ticket is ready to send</h2>'
            '<label class="kb-label" for="ticket-text">Ticket text to paste into the portal</label>'
            '<textarea class="kb-textarea kb-precheck__ticket-text" id="ticket-text" readonly'
            ' rows="16"></textarea>'
            '<div class="kb-precheck__copy">'
            f'<button class="md-button md-button--primary" id="{PREFIX}copy" type="button">'
            "Copy ticket text</button>"
            f'<p class="kb-precheck__copy-status" id="{PREFIX}copy-status" role="status"></p>'
            "</div>"
            "<h3>Send it in the portal</h3>"
            f'<ol class="kb-precheck__steps" id="{PREFIX}steps">',
            *(_step_html(step) for step in steps),
            "</ol></section>",
            f'<div class="kb-precheck__drafts" id="{PREFIX}drafts" hidden>'
            "<h2>Your draft</h2>"
            "<p>Your answers are saved in this browser as you type, and never leave it. "
            "Save them as a file to keep them or to check them with the command line. "
            "Opening a draft file replaces your answers (you can undo it); anything in the file "
            "that this form cannot hold is listed, not silently dropped.</p>"
            '<div class="kb-precheck__draft-actions">'
            f'<button class="md-button" id="{PREFIX}save-file" type="button">'
            "Save draft as file</button>"
            f'<button class="md-button" id="{PREFIX}open" type="button">Open a draft file</button>'
            f'<input class="kb-precheck__file" id="{PREFIX}open-file" type="file"'
            ' accept=".json,application/json" hidden aria-label="Draft file">'
            f'<button class="md-button" id="{PREFIX}clear" type="button"'
            f' aria-controls="{PREFIX}clear-confirm" aria-expanded="false">Clear draft</button>'
            "</div>"
            f'<p class="kb-precheck__file-status" id="{PREFIX}file-status" role="status"></p>'
            f'<div class="kb-precheck__confirm" id="{PREFIX}clear-confirm" hidden>'
            "<p><strong>Clear the draft?</strong> This removes everything you typed from this "
            "form and from this browser. Save it as a file first if you may need it.</p>"
            f'<button class="md-button md-button--primary kb-button--warning"'
            f' id="{PREFIX}clear-yes" type="button">Yes, clear the draft</button> '
            f'<button class="md-button" id="{PREFIX}clear-no" type="button">'
            "No, keep it</button></div>"
            "</div>",
            "</div>",
        ]
    )


def write(output: Path = OUTPUT) -> bool:
    """Writes the form if its content changed; returns whether it did."""
    from .snippets import write_if_changed

    return write_if_changed(output, render() + "\n")
