"""Checks CyTrack support ticket drafts before they are pasted into the vendor's portal.

Public API::

    from cytrack_ticket import check, check_json, CheckResult, Finding

    result = check(draft, now=None, tz=None)  # draft: anything json.loads returns; never raises
    result.valid, result.errors, result.warnings, result.ticket_text, result.ticket_parts
    result.to_dict()  # {"valid", "issue_type", "errors", "warnings", "ticket_text", "ticket_parts"}
    check_json(text, now_iso=None, tz=None)   # JSON text (or a file's bytes) in, compact JSON out

``tz`` is the zone of a time of occurrence written without an offset (a ``tzinfo`` for
`check`; for `check_json` text: ``UTC``, ``+01:00`` or an IANA name). The ticket text states
the time with its UTC offset. ``ticket_parts`` hands the text over as the portal's fields take
it: ``subject``, ``description`` (the text without the subject line), ``priority`` and
``after_hours`` (the values to choose); `catalogue.ticket_parts` names them.

Every check is linear in the size of the input. A draft file's bytes are decoded as the
pre-check page decodes them: UTF-8, one optional UTF-8 byte order mark, nothing else.

Error codes (each finding names its field; field None = the whole document):

    required                missing, or blank (white space only)
    type                    wrong JSON type (e.g. a number for a text field)
    enum                    not one of the allowed values
    too_long                longer than the field's maxLength
    phone_format            extension / callback_phone not phone-like
    not_a_date_time         occurred_at is not a real date-time
    in_future               occurred_at more than future_tolerance_minutes ahead
    after_hours_priority    (on priority) after-hours request without Priority Critical
    remote_access_required  after-hours request without the TeamViewer connection
    charges_required        after-hours request without accepting the charges
    control_character       a free-text field holds a control character (tab and line
                            breaks are fine in multi-line fields) or an invisible format
                            character: zero-width (U+200B-U+200F, except a joiner inside
                            an emoji), bidi (U+061C, U+202A-U+202E, U+2066-U+2069), line
                            and paragraph separators, word joiners, U+FEFF
    unknown_field           a key the draft's type does not define (one per key; the
                            field is the key cut to 60 characters, ending in "…")
    not_an_object           the document is not a JSON object (field None)
    not_json                the text is not JSON, or nests more than 64 levels (field None;
                            check_json and the CLI)
    not_utf8                the bytes are not UTF-8 text: a UTF-16/32 byte order mark, a
                            NUL byte or an invalid byte (field None; check_json of bytes)

Warning codes (never make a draft invalid; only for fields without errors):

    providers_not_checked   providers_checked is "no"
    outside_business_hours  (on after_hours) Critical, not after-hours, and occurred_at
                            outside business hours (settings.json; never while
                            business_hours is null, the default)
    tapi_not_covered        (on description) phone after-hours request about the phone
                            system / TAPI / CTI (settings.json tapi_keywords)
    placeholder             steps_taken / description very short or a placeholder
    stale                   occurred_at more than stale_after_days ago

Order: the document-level finding (field None) first, then by the field's position in
the type schema's properties, unknown keys last (sorted by key), then by code. A field
has at most one error (see `_engine` for which one wins).

A draft without a known issue_type gets an error on issue_type, and the fields every
type shares are still judged (with the after-hours rules); type-specific fields and
unknown keys are not, since they depend on the type.
"""

from ._engine import check, check_json
from ._findings import CheckResult, Finding

__all__ = ["CheckResult", "Finding", "check", "check_json"]
