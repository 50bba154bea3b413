"""The ticket pre-check form, generated from the public catalogue (the schemas) into
build/generated/precheck-form.html, which docs/precheck/index.md includes with
pymdownx.snippets. Outside docs/, so `mkdocs serve` does not loop.

The form is plain HTML that works before any script runs: every control's name is the draft's
JSON key, every label and hint is the schema's title and description. A JSON block
(``<script type="application/json" id="precheck-catalogue">``, data, never run) tells the
script docs/assets/precheck/precheck.js what it must not hard-code: the JSON value each choice
stands for, the after-hours trigger and which fields it reveals, which fields the suggested
procedures are found from, the draft file limits and the messages about draft files.

A date-time field comes with a time-zone list: "Your time zone" (a local time, as the HTML
control holds it), UTC, or a UTC offset. The script keeps a time opened from a draft file
exactly as written until the user changes it.

The result shows the ticket as the portal takes it (schemas/portal.json ``fields``): one block
per ticket part, each with its own Copy button, then all of the text with "Copy all", then the
portal's steps. Elements marked ``data-kb-part`` receive that part of the engine's result.
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
from .suggestions import QUERY_FIELDS

OUTPUT = GENERATED_DIR / "precheck-form.html"
PREFIX = "precheck-"

# The UTC offsets in use somewhere (IANA tz database, 2026), for a time written in another
# zone's clock. A file may hold any other offset: the script adds it to the list.
ZONE_OFFSETS = (
    "-12:00", "-11:00", "-10:00", "-09:30", "-09:00", "-08:00", "-07:00", "-06:00", "-05:00",
    "-04:00", "-03:30", "-03:00", "-02:00", "-01:00", "+01:00", "+02:00", "+03:00", "+03:30",
    "+04:00", "+04:30", "+05:00", "+05:30", "+05:45", "+06:00", "+06:30", "+07:00", "+08:00",
    "+08:45", "+09:00", "+09:30", "+10:00", "+10:30", "+11:00", "+12:00", "+12:45", "+13:00",
    "+14:00",
)  # fmt: skip
ZONE_LABEL = "Time zone of that time"
ZONE_HINT = (
    "Leave it at your time zone unless you read the time from a clock in another zone. The "
    "ticket states the time with its UTC offset, as support may work in another time zone."
)


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
    elif field.widget == "datetime-local":
        yield '<div class="kb-date-time">'
        yield f'<input class="kb-input"{_attrs(**common, type="datetime-local")}>'
        yield from _zone(field)
        yield "</div>"
    else:
        kind = {"text": "text", "tel": "tel"}[field.widget]
        wide = " kb-input--wide" if kind == "text" else ""
        spellcheck = "false" if kind == "tel" else None
        yield (
            f'<input class="kb-input{wide}"{_attrs(**common, type=kind)}'
            f"{_attrs(autocomplete=field.autocomplete, spellcheck=spellcheck)}>"
        )
    yield "</div>"


def _zone(field: Field) -> Iterator[str]:
    """The time-zone list beside a date-time: not named, so it is no draft key of its own;
    the script writes the offset into the date-time's value."""
    zone_id = f"{_control_id(field.key)}-zone"
    yield '<div class="kb-date-time__zone">'
    yield (
        f'<label class="kb-label kb-label--secondary" for="{zone_id}">{escape(ZONE_LABEL)}</label>'
    )
    yield f'<div class="kb-hint" id="{zone_id}-hint">{escape(ZONE_HINT)}</div>'
    yield (
        f'<select class="kb-select"{_attrs(id=zone_id, aria_describedby=f"{zone_id}-hint")}'
        " data-kb-zone>"
    )
    yield '<option value="" data-kb-zone-local>Your time zone</option>'
    yield '<option value="Z">UTC</option>'
    for offset in ZONE_OFFSETS:
        yield f'<option value="{offset}">UTC{offset}</option>'
    yield "</select></div>"


def _field_html(field: Field) -> str:
    if field.widget in ("radios", "yes-no"):
        return "".join(_radios(field))
    if field.widget in ("text", "textarea", "tel", "datetime-local", "select"):
        return "".join(_single(field))
    raise FormError(f"schemas/: field {field.key!r} has an unknown widget {field.widget!r}")


def _group(
    group_id: str,
    legend: str,
    note: str,
    fields: Iterable[Field],
    after: dict[str, str] | None = None,
    **data: str | None,
) -> str:
    """A group of fields under a heading; ``note`` is HTML (one or more paragraphs), and
    ``after`` holds HTML to place right after a field, by key."""
    note_html = f'<div class="kb-precheck__group-note">{note}</div>' if note else ""
    after = after or {}
    body = "".join(_field_html(field) + after.get(field.key, "") for field in fields)
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
    shared = catalogue.shared_field_map()
    unknown = [key for key in QUERY_FIELDS if key not in shared]
    if unknown:
        raise FormError(f"kb_build/suggestions.py: QUERY_FIELDS names no shared field {unknown}")
    limits = catalogue.draft_limits()
    messages = catalogue.document_messages()
    return {
        "values": values,
        "after_hours_trigger": {"field": trigger, "value": control_value(trigger_field, triggered)},
        "suggestions": {"fields": QUERY_FIELDS},
        # The draft file rules the page shares with the command line, and their words.
        "draft_limits": {
            "max_bytes": limits.max_bytes,
            "max_depth": limits.max_depth,
            "max_bytes_text": catalogue.byte_size_text(limits.max_bytes),
        },
        "messages": {name: messages[name] for name in FILE_MESSAGES},
    }


FILE_MESSAGES = ("not_utf8", "not_utf8_encoding", "not_utf8_nul", "too_large")
"""The ticket.schema.json messages about draft files that the page words as the CLI does."""


def _json_block(data: dict[str, Any]) -> str:
    # "</" cannot end the block early: JSON allows "\/" for "/".
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{PREFIX}catalogue">{text}</script>'


_STEP_VALUES = {"priority": "\x00priority\x00", "after_hours": "\x00after_hours\x00"}


def _step_html(step: catalogue.PortalStep) -> str:
    html = markup.to_html(step.for_ticket)
    for key, marker in _STEP_VALUES.items():
        html = html.replace(marker, f'<span data-kb-part="{key}"></span>')
    if step.after_hours:
        html += (
            f' <span id="{PREFIX}step-after-hours-note" hidden>'
            f"{escape(catalogue.portal_after_hours_warning())}</span>"
        )
    return f"<li>{html}</li>"


# Pages of this site, relative to /precheck/ (the only page that includes the form).
RESTART_GUIDE = "../procedures/restart/"
AFTER_SEND = "../after-send/"


def _after_hours_note(trigger_field: Field) -> str:
    """What the reader must know where they decide to ask for after-hours help: when these
    fields are needed and why (this site's advice), who may ask, the cost and the exclusion."""
    terms = catalogue.after_hours_terms()
    needed = (
        f"Needed when {trigger_field.title} is "
        f"{trigger_field.value_title(catalogue.after_hours_trigger()[1])}."
    )
    exclusion = (
        f"{markup.to_html(terms.exclusion)} "
        f'Do that reset yourselves with <a href="{RESTART_GUIDE}">this site\'s restart guide</a>.'
    )
    paragraphs = [
        f"<strong>{escape(needed)}</strong> {escape(catalogue.after_hours_note())}",
        markup.to_html(terms.subscription),
        markup.to_html(terms.cost),
        exclusion,
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _suggestions_html() -> str:
    """Where procedures that may solve the problem appear while the customer writes. A polite
    live region, empty (and so silent and invisible) until the script fills it: nothing shows
    without JavaScript."""
    return (
        f'<div class="kb-precheck__suggestions" id="{PREFIX}suggestions" aria-live="polite">'
        f'<div class="kb-precheck__suggestions-panel" id="{PREFIX}suggestions-panel" hidden>'
        f'<h3 class="kb-precheck__suggestions-title" id="{PREFIX}suggestions-title">'
        "These procedures may solve it</h3>"
        '<ul class="kb-precheck__suggestion-list"></ul>'
        '<p class="kb-precheck__suggestions-note">Your draft is kept while you read one: '
        "come back with your browser's Back button.</p>"
        "</div></div>"
    )


def _copy_button(target_id: str, name: str, copied: str, text: str = "Copy") -> str:
    """A Copy button for the element ``target_id``; ``copied`` is what it says once done."""
    hidden = f'<span class="kb-visually-hidden"> {escape(name)}</span>' if name else ""
    return (
        '<div class="kb-precheck__copy">'
        f'<button class="md-button" type="button" data-kb-copy="{target_id}"'
        f' data-kb-copied="{escape(copied)}">{escape(text)}{hidden}</button>'
        '<p class="kb-precheck__copy-status" role="status"></p></div>'
    )


def _part_html(field: catalogue.PortalField) -> str:
    """One portal field: the part to paste (with the element that receives it), or the value
    to choose in the portal's own list."""
    part_id = f"{PREFIX}part-{field.part}"
    label = escape(field.label)
    if field.choose:
        body = (
            f'<p class="kb-label" id="{part_id}-label">{label}</p>'
            f'<p class="kb-precheck__choose">Choose <strong class="kb-precheck__choice"'
            f' id="{part_id}" data-kb-part="{field.part}"></strong> in the portal\'s {label}'
            " list: select it there rather than typing it.</p>"
        )
        copied = f"Copied. In the portal, choose it in the {field.label} list."
    else:
        one_line = field.part == "subject"
        control = (
            f'<input class="kb-input kb-input--wide kb-precheck__part-text" id="{part_id}"'
            f' type="text" readonly data-kb-part="{field.part}">'
            if one_line
            else f'<textarea class="kb-textarea kb-precheck__ticket-text" id="{part_id}" readonly'
            f' rows="12" data-kb-part="{field.part}"></textarea>'
        )
        body = f'<label class="kb-label" for="{part_id}">{label}</label>{control}'
        copied = f"Copied. Paste it into the portal's {field.label} field."
    return (
        f'<div class="kb-precheck__part" data-kb-portal-field="{field.part}">'
        f"{body}{_copy_button(part_id, field.label, copied)}</div>"
    )


def _result_html(steps: Iterable[catalogue.PortalStep]) -> str:
    return "".join(
        [
            f'<section class="kb-precheck__result" id="{PREFIX}result" hidden'
            f' aria-labelledby="{PREFIX}result-title">'
            f'<h2 id="{PREFIX}result-title" tabindex="-1">Your ticket is ready to send</h2>'
            "<p>The portal has a field for each part below: copy them one at a time.</p>",
            '<div class="kb-precheck__parts">',
            *(_part_html(field) for field in catalogue.portal_fields()),
            "</div>",
            '<label class="kb-label" for="ticket-text">All of the ticket text</label>'
            '<div class="kb-hint" id="ticket-text-hint">The same parts in one text, for a '
            "portal or email that takes it in one piece.</div>"
            '<textarea class="kb-textarea kb-precheck__ticket-text" id="ticket-text" readonly'
            ' rows="10" aria-describedby="ticket-text-hint"></textarea>',
            _copy_button("ticket-text", "", "Copied all of the ticket text.", "Copy all"),
            f'<h3>Send it in the portal</h3><ol class="kb-precheck__steps" id="{PREFIX}steps">',
            *(_step_html(step) for step in steps),
            "</ol>",
            f'<p class="kb-precheck__after-send">{markup.to_html(catalogue.after_send())} '
            f'<a href="{AFTER_SEND}">What to do after you select Send</a>.</p>',
            "</section>",
        ]
    )


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
                f"<p>{escape(f'Only asked for the type {title}.')}</p>",
                own,
                data_kb_issue_type=kind,
            )
        )
    # Suggestions appear right below the subject, where a customer first says what is wrong.
    after = {next(iter(QUERY_FIELDS)): _suggestions_html()}
    groups.append(_group(f"{PREFIX}group-about", "About the issue", "", about, after))
    groups.append(
        _group(
            f"{PREFIX}group-after_hours",
            "After-hours details",
            _after_hours_note(after_hours_field),
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
            "</div>"
            # Said at once when this browser cannot keep the answers (full or disabled storage).
            f'<div class="kb-precheck__storage" id="{PREFIX}storage" role="alert">'
            f'<div id="{PREFIX}storage-problem" hidden>'
            f'<p class="kb-precheck__storage-text" id="{PREFIX}storage-text"></p>'
            f'<button class="md-button md-button--primary" id="{PREFIX}storage-save" type="button">'
            "Save draft as file</button>"
            f'<p class="kb-precheck__storage-file" id="{PREFIX}storage-file"></p></div></div>'
            "</div>",
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
            _result_html(steps),
            f'<div class="kb-precheck__drafts" id="{PREFIX}drafts" hidden>'
            "<h2>Your draft</h2>"
            "<p>This page keeps your answers in this browser as you type; they never leave it. "
            "Each tab keeps its own draft. Save your answers as a file to keep them elsewhere or "
            "to check them with the command line. Opening a draft file replaces your answers "
            "(you can undo it, even after closing the page); anything in the file that this form "
            "cannot hold or holds differently is listed, not silently dropped or changed.</p>"
            f'<p class="kb-precheck__save-state" id="{PREFIX}save-state"></p>'
            '<div class="kb-precheck__draft-actions">'
            f'<button class="md-button" id="{PREFIX}save-file" type="button">'
            "Save draft as file</button>"
            f'<button class="md-button" id="{PREFIX}open" type="button">Open a draft file</button>'
            f'<input class="kb-precheck__file" id="{PREFIX}open-file" type="file"'
            ' accept=".json,application/json" hidden aria-label="Draft file">'
            f'<button class="md-button" id="{PREFIX}clear" type="button"'
            f' aria-controls="{PREFIX}clear-confirm" aria-expanded="false">Clear draft</button>'
            "</div>"
            f'<div class="kb-precheck__file-status" id="{PREFIX}file-status" role="status"></div>'
            f'<div class="kb-precheck__confirm" id="{PREFIX}clear-confirm" hidden>'
            "<p><strong>Clear the draft?</strong> This removes everything you typed from this "
            "form and from this browser. Save it as a file first if you may need it.</p>"
            f'<button class="md-button md-button--primary kb-button--warning"'
            f' id="{PREFIX}clear-yes" type="button">Yes, clear the draft</button> '
            f'<button class="md-button" id="{PREFIX}clear-no" type="button">'
            "No, keep it</button></div>"
            f'<div class="kb-precheck__other-drafts" id="{PREFIX}other-drafts" hidden>'
            f'<h3 id="{PREFIX}other-drafts-title">Other drafts in this browser</h3>'
            "<p>Drafts from other visits or tabs that no open tab is using. Opening one keeps "
            "this tab's answers as a draft of their own.</p>"
            f'<ul class="kb-precheck__other-draft-list"'
            f' aria-labelledby="{PREFIX}other-drafts-title"></ul></div>'
            "</div>",
            "</div>",
        ]
    )


def write(output: Path = OUTPUT) -> bool:
    """Writes the form if its content changed; returns whether it did."""
    from .snippets import write_if_changed

    return write_if_changed(output, render() + "\n")
