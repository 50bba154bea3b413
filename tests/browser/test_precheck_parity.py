"""Parity: every fixture draft gives the same result JSON from the engine on CPython (as the
CLI runs it) and from the pre-check's worker on Pyodide in Chromium, at the same `now`, on the
trimmed, compiled standard library (never falling back to the full one)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cytrack_ticket import check_json

from .precheck_page import PrecheckPage
from .worker_runs import run_in_worker

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

ZONES = [
    pytest.param("UTC", "(UTC+00:00)", id="utc"),
    # Daylight saving time from March to November: -05:00 in winter, -04:00 in summer.
    pytest.param("America/New_York", "(UTC-04:00)", id="new-york"),
    # Half an hour of daylight saving: +10:30 in winter, +11:00 in summer.
    pytest.param("Australia/Lord_Howe", "(UTC+10:30)", id="lord-howe"),
]


# The page's own decoder (draft-text.mjs), with the messages the build gave the page.
_DECODE_IN_PAGE = """
async (files) => {
  const { decodeDraft } = await import(new URL("../assets/precheck/draft-text.mjs", location.href));
  const catalogue = JSON.parse(document.querySelector("#precheck-catalogue").textContent);
  return files.map((bytes) => decodeDraft(new Uint8Array(bytes), catalogue.messages));
}
"""


def fixture_files() -> dict[str, bytes]:
    """Every draft of the corpus as bytes, exactly as the CLI and the page read the file."""
    files = {
        path.relative_to(FIXTURES).as_posix(): path.read_bytes()
        for path in sorted(FIXTURES.glob("*/*/*.json"))
        if not path.name.endswith(".expected.json")
    }
    assert len(files) >= 20, "the fixture corpus of the engine is missing"
    assert any(name.startswith("encoding/") for name in files)
    return files


@pytest.mark.parametrize(("zone", "one_offset"), ZONES)
def test_every_fixture_gives_identical_json_on_cpython_and_in_the_browser(
    page_in_zone: Callable[..., Page], site_url: str, zone: str, one_offset: str
):
    """Every fixture file, as bytes, through the page's decoder and the worker in a browser
    whose clock runs in `zone`, and through `check_json` on CPython in the same zone."""
    now = (FIXTURES / "now.txt").read_text(encoding="utf-8").strip()
    files = fixture_files()
    page = page_in_zone(zone)
    PrecheckPage(page, site_url).open(ready=False)
    decoded = page.evaluate(_DECODE_IN_PAGE, [list(data) for data in files.values()])
    texts = [item.get("text") for item in decoded]
    drafts = [text for text in texts if text is not None]
    checked, notices = run_in_worker(page, drafts, now)
    results = iter(checked)
    in_browser = [
        next(results) if text is not None else {"refused": item["problem"]}
        for text, item in zip(texts, decoded, strict=True)
    ]
    on_cpython = [check_json(data, now, zone) for data in files.values()]
    differences = {}
    for name, browser, cpython in zip(files, in_browser, on_cpython, strict=True):
        errors = json.loads(cpython)["errors"]
        if errors and errors[0]["code"] == "not_utf8":
            # The page refuses the file before any check, with the engine's own words.
            cpython = {"refused": errors[0]["message"]}
        if browser != cpython:
            differences[name] = {"browser": browser, "cpython": cpython}
    assert differences == {}
    assert notices == [], "the trimmed standard library lacks a module the checker imports"
    # The corpus exercises every outcome, so parity is not trivially about one kind of answer.
    assert any('"valid":true' in result for result in on_cpython)
    assert any('"valid":false' in result for result in on_cpython)
    assert any("refused" in result for result in in_browser if isinstance(result, dict))
    # The zone is really applied.
    assert any(one_offset in result for result in on_cpython)


def random_byte_strings(count: int) -> list[bytes]:
    """Text in several scripts, cut and spliced with stray bytes: every kind of UTF-8 error."""
    rng = random.Random(9)
    pieces = ["{}", '"a"', "\u00e9", "\u20ac", "\U0001f600", "\u30be", "\ufeff", "\n", "\\u"]
    strays = [b"\x80", b"\xbf", b"\xc0", b"\xc2", b"\xe0\x80", b"\xed\xa0", b"\xef\xbb\xbf",
              b"\xf0\x90", b"\xf4\x90", b"\xf5", b"\xff", b"\xfe\xff", b"\x00", b"\n"]  # fmt: skip
    found = []
    for _ in range(count):
        data = b""
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.3:
                data += rng.choice(strays)
            else:
                data += rng.choice(pieces).encode()
        if rng.random() < 0.3 and data:
            data = data[: rng.randint(0, len(data))]
        found.append(data)
    return found


def test_the_page_and_the_cli_decode_the_same_bytes_the_same_way(page: Page, site_url: str):
    samples = random_byte_strings(400)
    PrecheckPage(page, site_url).open(ready=False)
    in_page = page.evaluate(_DECODE_IN_PAGE, [list(data) for data in samples])
    for data, decoded in zip(samples, in_page, strict=True):
        on_cpython = json.loads(check_json(data, "2026-11-26T03:00:00+00:00"))["errors"]
        if on_cpython and on_cpython[0]["code"] == "not_utf8":
            assert decoded == {"problem": on_cpython[0]["message"]}, data
        else:
            assert "text" in decoded, (data, decoded)
            assert check_json(decoded["text"], "2026-11-26T03:00:00+00:00") == check_json(
                data, "2026-11-26T03:00:00+00:00"
            ), data
