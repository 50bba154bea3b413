"""A site with its own settings: other business hours, another portal and other charging
terms in schemas/settings.json reach every page, the pre-check form, the CLI and the browser's
checker, and the pre-check's memory snapshot can be switched off (a copy of the project is
built, runtime included)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.project_copy import ProjectCopy, copy_project
from tests.site._html import article, parse_file

from .precheck_page import PrecheckPage
from .snapshot_records import record, store_stand_in
from .static_site import serve
from .worker_runs import run_in_worker

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOW = (ROOT / "tests/fixtures/now.txt").read_text(encoding="utf-8").strip()  # a Thursday
PORTAL = "https://help.example.invalid/tickets/"


def _site_settings(settings: dict[str, Any]) -> None:
    settings["business_hours"] = {"days": ["sat", "sun"], "start": "10:00", "end": "14:00"}
    settings["portal_url"] = PORTAL
    settings["after_hours_rate_multiplier"] = 1.5
    settings["after_hours_minimum_minutes"] = 30
    settings["precheck_snapshot"] = False


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectCopy:
    copy = copy_project(tmp_path_factory.mktemp("project"))
    copy.edit_json("schemas/settings.json", _site_settings)
    return copy


@pytest.fixture(scope="module")
def site(project: ProjectCopy) -> Path:
    return project.build_site(assets=True)


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def _text(site: Path, page: str) -> str:
    return " ".join(article(parse_file(site / page / "index.html")).text().split())


def _draft(occurred_at: str) -> str:
    draft = json.loads(
        (ROOT / "tests/fixtures/phone/valid/critical-outside-business-hours.json").read_text(
            encoding="utf-8"
        )
    )
    return json.dumps({**draft, "occurred_at": occurred_at})


def test_the_pages_state_the_sites_portal_hours_and_charges(site: Path):
    submit = article(parse_file(site / "submit" / "index.html"))
    steps = submit.find("div", class_="kb-portal-steps")
    assert [a.attrs["href"] for a in steps.find("li").find_all("a")] == [PORTAL]
    assert "support.cytrack.com" not in _text(site, "submit")
    after_hours = _text(site, "after-hours")
    assert "one and a half times the normal rate" in after_hours
    assert "minimum of 30 minutes" in after_hours
    assert "at least 45 minutes of Service Voucher time" in after_hours
    for page in ("after-hours", "submit"):
        text = _text(site, page)
        if "Business hours are" in text:
            assert "Saturday and Sunday, 10:00 to 14:00" in text


def test_the_form_states_the_sites_portal_and_charges(site: Path):
    form = parse_file(site / "precheck" / "index.html")
    steps = next(ol for ol in form.find_all("ol") if ol.attrs.get("id") == "precheck-steps")
    assert [a.attrs["href"] for a in steps.find_all("a")] == [PORTAL]
    hint = next(
        div
        for div in form.find_all("div")
        if div.attrs.get("id") == "precheck-charges_acknowledged-hint"
    )
    assert "one and a half times the normal rate" in hint.text()


@pytest.mark.parametrize(
    ("occurred_at", "warned"),
    [
        pytest.param("2026-11-23T11:00", True, id="monday-outside-the-sites-hours"),
        pytest.param("2026-11-22T11:00", False, id="sunday-within-the-sites-hours"),
    ],
)
def test_the_cli_and_the_browsers_checker_judge_by_the_sites_hours(
    project: ProjectCopy, site_url: str, page_in_zone: Callable[..., Page], tmp_path: Path,
    occurred_at: str, warned: bool,
):  # fmt: skip
    draft = _draft(occurred_at)
    path = tmp_path / "draft.json"
    path.write_text(draft, encoding="utf-8")
    cli = project.python(
        "-m", "cytrack_ticket", "validate", "--json", "--now", NOW, "--tz", "UTC", str(path)
    )
    assert cli.returncode == 0, cli.stderr
    result = json.loads(cli.stdout)
    codes = [finding["code"] for finding in result["warnings"]]
    assert ("outside_business_hours" in codes) is warned
    if warned:
        assert "Sat\u2013Sun 10:00\u201314:00" in result["warnings"][0]["message"]
    page = page_in_zone("UTC")
    page.goto(site_url + "procedures/")
    worker = f"{site_url}assets/precheck/worker.mjs"
    (in_browser,), notices = run_in_worker(page, [draft], NOW, worker)
    assert notices == []
    assert in_browser == cli.stdout.strip()


def test_with_the_snapshot_switched_off_the_checker_makes_none_and_deletes_an_old_one(
    site: Path, site_url: str, page_in_zone: Callable[..., Page]
):
    module = (site / "assets/precheck/snapshot-check.mjs").read_text(encoding="utf-8")
    assert "export const SNAPSHOT_SELF_CHECK = null;" in module
    page = page_in_zone("UTC")
    page.goto(site_url + "procedures/")
    store_stand_in(page)
    PrecheckPage(page, site_url).open()
    page.wait_for_timeout(3000)  # a snapshot, if one were made, is stored within this
    assert record(page) is None
