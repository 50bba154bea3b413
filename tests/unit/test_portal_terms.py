"""schemas/portal.json's after-hours terms through the public catalogue: Cytrack's words,
the cost filled in from the settings, and a broken file named with the key to add."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cytrack_ticket import _schemas, catalogue


def test_the_terms_are_cytracks_words_with_the_cost_from_the_settings():
    terms = catalogue.after_hours_terms()
    assert "After Hours Assurance Service" in terms.subscription
    assert "optional annual subscription" in terms.subscription
    values = catalogue.settings().values
    for key in ("after_hours_rate", "after_hours_minimum", "after_hours_voucher_minimum"):
        assert values[key] in terms.cost
    assert "Cytrack Service Vouchers" in terms.cost
    assert "resetting the software due to TAPI CTI availability is not covered" in terms.exclusion
    assert "telephony integrated with CyTrack" in terms.exclusion
    assert "contact you as soon as possible" in catalogue.after_send()


def test_the_after_hours_note_is_labelled_as_this_sites_advice():
    note = catalogue.after_hours_note()
    assert note.startswith("This guide's advice, not a portal rule")


@pytest.fixture
def schemas_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of schemas/ that a test may break, used through $CYTRACK_SCHEMAS."""
    target = tmp_path / "schemas"
    shutil.copytree(_schemas.schema_dir(), target)
    monkeypatch.setenv(_schemas.SCHEMAS_ENV, str(target))
    catalogue.reload()
    yield target
    monkeypatch.delenv(_schemas.SCHEMAS_ENV)
    catalogue.reload()


@pytest.mark.parametrize(
    ("remove", "named"),
    [
        pytest.param(("after_hours_terms", "cost"), "after_hours_terms.cost", id="cost"),
        pytest.param(("after_hours_terms",), "after_hours_terms.subscription", id="terms"),
        pytest.param(("after_send",), "after_send", id="after-send"),
    ],
)
def test_a_missing_term_raises_naming_the_file_and_the_key(
    schemas_copy: Path, remove: tuple[str, ...], named: str
):
    path = schemas_copy / "portal.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    node = data
    for key in remove[:-1]:
        node = node[key]
    del node[remove[-1]]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(catalogue.ConfigError) as raised:
        catalogue.after_hours_terms()
        catalogue.after_send()
    assert str(path) in str(raised.value)
    assert f'add "{named}"' in str(raised.value)


def test_an_unknown_placeholder_in_a_term_raises_naming_the_file(schemas_copy: Path):
    path = schemas_copy / "portal.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["after_hours_terms"]["cost"] = "Charged at {after_hours_rat}."
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(catalogue.ConfigError, match="after_hours_rat") as raised:
        catalogue.after_hours_terms()
    assert str(path) in str(raised.value)
