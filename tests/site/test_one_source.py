"""Facts kept in schemas/ and settings reach the pages only through generated snippets: a
writer who types the portal's address or the charging terms into docs/ by hand would let the
page and the checker drift apart."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cytrack_ticket import catalogue

ROOT = Path(__file__).resolve().parents[2]


def _markdown() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md"))


def _forbidden() -> dict[str, re.Pattern[str]]:
    """What may only come from a snippet, as patterns: the portal's host, and every way the
    charging terms are worded from the settings."""
    values = catalogue.settings().values
    host = urlsplit(values["portal_url"]).netloc

    def phrase(text: str) -> re.Pattern[str]:
        return re.compile(r"\s+".join(map(re.escape, text.split())), re.IGNORECASE)

    return {
        "the portal's address (include portal-link.md or portal-steps.md)": phrase(host),
        "the after-hours rate (include charges.md)": phrase(values["after_hours_rate"]),
        "the minimum charge (include charges.md)": re.compile(
            rf"minimum\s+(?:of\s+)?{phrase(values['after_hours_minimum']).pattern}"
            rf"|{phrase(values['after_hours_minimum']).pattern}\s+minimum",
            re.IGNORECASE,
        ),
        "the voucher time (include charges.md)": phrase(
            f"at least {values['after_hours_voucher_minimum']}"
        ),
    }


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in _markdown()]
)
def test_no_page_types_the_portal_address_or_the_charging_terms_by_hand(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in _forbidden().items() if pattern.search(text)]
    assert found == [], f"{path.relative_to(ROOT)} states {found} by hand"


def test_the_check_recognises_hand_typed_terms():
    values = catalogue.settings().values
    patterns = _forbidden().values()
    for text in (
        f"Go to <{values['portal_url']}>.",
        f"charged at {values['after_hours_rate']}".replace(" ", "\n", 3),
        f"with a minimum of {values['after_hours_minimum']}",
        f"{values['after_hours_minimum']} minimum",
        f"uses at least {values['after_hours_voucher_minimum']} of voucher time",
    ):
        assert any(pattern.search(text) for pattern in patterns), text
