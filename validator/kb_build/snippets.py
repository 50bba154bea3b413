"""Generated Markdown snippets: every part of the docs that states a fact kept in ``schemas/``.

Plain Markdown files in build/generated/, which pages include with pymdownx.snippets
(``--8<-- "checklist-phone.md"`` on a line of its own), so any engine that reads the
Markdown (MkDocs, Zensical) shows the same facts:

- checklist-<type>.md: "what to include" for each issue type, in the schema's x-checklist
  order, from the schema titles and descriptions; checklist-after-hours.md: the extra fields
  an After Hours Support Request needs;
- portal-steps.md: the portal's six steps (schemas/portal.json), the after-hours step with
  its warning and the charging terms; portal-link.md: the portal's address;
- charges.md: the after-hours charging terms; charges-example.md: what short calls cost;
- after-hours-request.md: who may ask for after-hours help, the two settings, the cost and
  the exclusion, for every page that tells the reader to set Critical and Yes;
- after-hours-exclusion.md: what the After Hours Assurance Service does not cover;
- after-send.md: what Cytrack says happens after a request is sent;
- business-hours.md: the business hours as the site set them in schemas/settings.json, or
  (the default) that they are not stated here and whom to ask;
- procedures-index.md: the procedures, from their front matter. Include it only in
  docs/procedures/index.md: its links are relative to that page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from cytrack_ticket import catalogue

from . import markup, procedures
from .paths import DOCS_DIR, GENERATED_DIR


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _field_list(fields: Iterable[catalogue.Field]) -> str:
    return "".join(f"- **{item.title}**: {_one_line(item.description)}\n" for item in fields)


def _wrapped(css_class: str, attributes: str, body: str) -> str:
    # md_in_html keeps the list Markdown while giving it a hook for styling and tests.
    return f'<div class="{css_class}" {attributes} markdown>\n\n{body}\n</div>\n'


def checklist_markdown(issue_type: str) -> str:
    """What to include in a ticket of this type: schema title and hint, in x-checklist order."""
    body = _field_list(catalogue.checklist(issue_type))
    return _wrapped("kb-checklist", f'data-issue-type="{issue_type}"', body)


def after_hours_checklist_markdown() -> str:
    """The fields an After Hours Support Request needs on top of the type's checklist."""
    shared = catalogue.shared_field_map()
    body = _field_list(shared[key] for key in catalogue.after_hours_keys())
    note = f"{_one_line(catalogue.after_hours_note())}\n\n"
    return note + _wrapped("kb-checklist", 'data-issue-type="after-hours"', body)


def business_hours_markdown() -> str:
    """The vendor's business hours as the site set them, or, while unset (the default: the
    vendor publishes none), that they are not stated here and whom to ask."""
    settings = catalogue.settings()
    if settings.business_hours is None:
        return (
            "**Business hours:** Cytrack's business hours are not stated in this guide: the "
            "Cytrack terms it is based on do not give them. Ask your account manager what they "
            "are for your organisation.\n"
        )
    return (
        f"**Business hours:** {settings.values['business_hours_long']} (your local time), as "
        "set for this site.\n"
    )


def charges_markdown() -> str:
    """The after-hours charging terms, derived from the rate and the minimum in settings."""
    return markup.to_markdown(catalogue.after_hours_terms().cost) + "\n"


def after_hours_request_markdown() -> str:
    """Everything a reader must know where they decide to ask for after-hours help: who may
    ask, the two settings, what happens if either is wrong, the cost and the exclusion. For
    every page that tells the reader to set Critical and Yes."""
    terms = catalogue.after_hours_terms()
    return "".join(f"- {markup.to_markdown(line)}\n" for line in _after_hours_lines(terms)) + "\n"


def _after_hours_lines(terms: catalogue.AfterHoursTerms) -> list[str]:
    requires = catalogue.after_hours_requires()
    trigger, triggered = catalogue.after_hours_trigger()
    shared = catalogue.shared_field_map()
    priority = shared["priority"]
    return [
        terms.subscription,
        f"In the portal, set **{priority.title}** to "
        f"**{priority.value_title(requires['priority'])}** and **{shared[trigger].title}** to "
        f"**{shared[trigger].value_title(triggered)}**. "
        f"{catalogue.portal_after_hours_warning()}",
        terms.cost,
        terms.exclusion,
    ]


def after_hours_exclusion_markdown() -> str:
    """What the After Hours Assurance Service does not cover, in Cytrack's words."""
    return markup.to_markdown(catalogue.after_hours_terms().exclusion) + "\n"


def after_send_markdown() -> str:
    """What Cytrack says happens after a request is sent."""
    return markup.to_markdown(catalogue.after_send()) + "\n"


def _hours(minutes: float) -> str:
    hours = minutes / 60
    whole = int(hours)
    if hours == whole:
        return f"{whole} hour" if whole == 1 else f"{whole} hours"
    if hours - whole == 0.5:
        return f"{whole}½ hours" if whole else "½ hour"
    return f"{minutes:g} minutes"


def charges_example_markdown() -> str:
    """What calls of a few lengths cost, in a table computed from the settings."""
    settings = catalogue.settings().values
    rate = settings["after_hours_rate_multiplier"]
    minimum = settings["after_hours_minimum_minutes"]
    rows = ["| Length of the call | Time charged | Voucher time used |", "| --- | --- | --- |"]
    for length in (20, 60, 90):
        charged = max(length, minimum)
        note = " (the minimum)" if charged > length else ""
        rows.append(
            f"| {_hours(length) if length >= 60 else f'{length} minutes'} "
            f"| {_hours(charged)}{note} | **{_hours(charged * rate)}** |"
        )
    return "\n".join(rows) + "\n"


def portal_link_markdown() -> str:
    url = catalogue.settings().values["portal_url"]
    return f"The support portal is at <{url}>.\n"


def _terms_paragraphs() -> list[str]:
    terms = catalogue.after_hours_terms()
    return [terms.subscription, terms.cost, terms.exclusion]


def portal_steps_markdown() -> str:
    """The portal's six steps as an ordered list; the after-hours step carries the rule, what
    happens if it is wrong, who may ask, the cost and the exclusion (where the reader decides
    to ask for paid help)."""
    requires = catalogue.after_hours_requires()
    trigger, triggered = catalogue.after_hours_trigger()
    shared = catalogue.shared_field_map()
    lines = []
    for number, step in enumerate(catalogue.portal_steps(), start=1):
        lines.append(f"{number}. {markup.to_markdown(step.text)}")
        if step.after_hours:
            lines += [
                "",
                f'    !!! warning "Step {number} decides whether an after-hours request is '
                'triggered"',
                "",
                "        For an after-hours request, set **both**:",
                "",
                f"        - **{shared['priority'].title}** = "
                f"**{shared['priority'].value_title(requires['priority'])}**",
                f"        - **{shared[trigger].title}** = "
                f"**{shared[trigger].value_title(triggered)}**",
                "",
                f"        **{catalogue.portal_after_hours_warning()}**",
                "",
                *(f"        {markup.to_markdown(line)}\n" for line in _terms_paragraphs()),
            ]
    return _wrapped("kb-portal-steps", 'data-generated="portal-steps"', "\n".join(lines) + "\n")


def _long_date(value: dt.date | None) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "not recorded"


def procedures_index_markdown(items: Iterable[procedures.Procedure]) -> str:
    """The procedures index: linked title, summary, issue types, audience, review date."""
    audience_titles: dict[str, str] = procedures.schema()["properties"]["audience"]["x-enum-titles"]

    def type_title(issue_type: str) -> str:
        if issue_type in catalogue.issue_types():
            return catalogue.type_title(issue_type)
        return issue_type

    ordered = sorted(
        items, key=lambda item: (item.order is None, item.order or 0, item.title.casefold())
    )
    if not ordered:
        return "There are no procedures yet.\n"
    entries = []
    for item in ordered:
        link = Path(item.src_uri).relative_to(procedures.PROCEDURES_DIR).as_posix()
        facts = [
            f"**Helps with:** {', '.join(type_title(key) for key in item.applies_to) or '-'}",
            f"**For:** {', '.join(audience_titles.get(key, key) for key in item.audience) or '-'}",
        ]
        if item.time_needed:
            facts.append(f"**Time needed:** {item.time_needed}")
        facts.append(f"**Last reviewed:** {_long_date(item.last_reviewed)}")
        lines = [f"## [{item.title}]({link})", ""]
        if item.summary:
            lines += [_one_line(item.summary), ""]
        lines += [" · ".join(facts), ""]
        slug = Path(item.src_uri).with_suffix("").as_posix()
        attributes = f'data-procedure="{slug}" data-applies-to="{" ".join(item.applies_to)}"'
        entries.append(_wrapped("kb-procedure-index__item", attributes, "\n".join(lines)))
    return _wrapped("kb-procedure-index", 'data-generated="procedures-index"', "\n".join(entries))


def snippets(docs_dir: Path = DOCS_DIR) -> dict[str, str]:
    """Every generated Markdown file's name and content."""
    files = {
        f"checklist-{issue_type}.md": checklist_markdown(issue_type)
        for issue_type in catalogue.issue_types()
    }
    files["checklist-after-hours.md"] = after_hours_checklist_markdown()
    files["business-hours.md"] = business_hours_markdown()
    files["charges.md"] = charges_markdown()
    files["charges-example.md"] = charges_example_markdown()
    files["after-hours-request.md"] = after_hours_request_markdown()
    files["after-hours-exclusion.md"] = after_hours_exclusion_markdown()
    files["after-send.md"] = after_send_markdown()
    files["portal-link.md"] = portal_link_markdown()
    files["portal-steps.md"] = portal_steps_markdown()
    checked = procedures.check_all(docs_dir)
    files["procedures-index.md"] = procedures_index_markdown(item.procedure for item in checked)
    return files


def write_if_changed(target: Path, content: str) -> bool:
    """Write a generated file only when its content changed (or `mkdocs serve` loops)."""
    if target.is_file() and target.read_text(encoding="utf-8") == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return True


def write_snippets(out_dir: Path = GENERATED_DIR, docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Write the generated files whose content changed; returns what was written."""
    return [
        out_dir / name
        for name, content in snippets(docs_dir).items()
        if write_if_changed(out_dir / name, content)
    ]
