"""Zensical, Material's successor, builds the same docs/ after the pre-build step, with no
manual step: every page, every seed fact and checklist, and internal links that resolve."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cytrack_ticket import catalogue

from tests.project_copy import ProjectCopy, copy_project

from ._html import Element, article, parse_file
from .conftest import html_pages
from .test_links import _references, _target_file
from .test_seed_facts import SEED_FACTS

ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project: ProjectCopy = copy_project(tmp_path_factory.mktemp("project"))
    assert project.python("-m", "kb_build", "--no-assets").returncode == 0
    result = project.run(str(ZENSICAL), "build", "-f", "mkdocs.yml", "--clean", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


@pytest.fixture(scope="module")
def zensical_pages(zensical_site: Path) -> dict[str, Element]:
    parsed = {}
    for path in html_pages(zensical_site):
        relative = path.relative_to(zensical_site).as_posix()
        parsed[relative.removesuffix("index.html")] = parse_file(path)
    return parsed


def test_zensical_builds_every_page_mkdocs_builds(built_site: Path, zensical_site: Path):
    mkdocs = {p.relative_to(built_site).as_posix() for p in html_pages(built_site)}
    zensical = {p.relative_to(zensical_site).as_posix() for p in html_pages(zensical_site)}
    assert mkdocs <= zensical


@pytest.mark.parametrize(("url", "phrase"), SEED_FACTS)
def test_zensical_pages_state_every_seed_fact(
    zensical_pages: dict[str, Element], url: str, phrase: str
):
    text = " ".join(article(zensical_pages[url]).text().casefold().split())
    assert " ".join(phrase.casefold().split()) in text


def test_zensical_pages_carry_the_generated_checklists(zensical_pages: dict[str, Element]):
    submit = article(zensical_pages["submit/"])
    for issue_type in catalogue.issue_types():
        checklist = submit.find("div", data_issue_type=issue_type)
        assert checklist is not None, issue_type
        for field in catalogue.checklist(issue_type):
            assert field.title in checklist.text()


def test_zensical_internal_links_resolve(
    zensical_site: Path, zensical_pages: dict[str, Element]
):
    broken = [
        f"/{page}: <{tag}> {value}"
        for page, tag, value, absolute in _references(zensical_pages)
        if _target_file(zensical_site, absolute) is None
    ]
    assert not broken, "\n".join(broken)


def test_zensical_does_not_publish_build_code(zensical_site: Path):
    assert not list(zensical_site.rglob("*.py"))
