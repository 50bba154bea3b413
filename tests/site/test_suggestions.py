"""Suggested procedures: the index the build publishes, and the quality of the ranking on a
corpus of realistic ticket texts (tests/fixtures/suggestion-corpus.jsonl), ranked by the built
site's own module (assets/precheck/suggest-rank.mjs) under Node, as the browser runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kb_build import procedures as kb_procedures
from kb_build import suggestions
from kb_build.precheck_form import catalogue_data

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "suggestion-corpus.jsonl"

# Ranks each query with the module and index given, as suggestions.mjs does; prints JSON lines.
_RANK = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [modulePath, indexPath, queriesPath] = process.argv.slice(1);
const { buildIndex, queryTerms, rank } = await import(pathToFileURL(modulePath).href);
const index = buildIndex(JSON.parse(readFileSync(indexPath, "utf8")));
for (const query of JSON.parse(readFileSync(queriesPath, "utf8"))) {
  const found = rank(index, queryTerms(query.texts), query.type);
  console.log(JSON.stringify(found.map((item) => item.procedure.url)));
}
"""


def corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def rank_all(site: Path, queries: list[dict], tmp_path: Path) -> list[list[str]]:
    """The URLs the built site's ranking suggests for each query, best first."""
    node = shutil.which("node")
    assert node, "Node.js is needed (it runs the pre-check's ranking module as in the browser)"
    weights = catalogue_data()["suggestions"]["fields"]
    prepared = [
        {
            "texts": [[query.get(key, ""), weight] for key, weight in weights.items()],
            "type": query["issue_type"],
        }
        for query in queries
    ]
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(prepared), encoding="utf-8")
    result = subprocess.run(
        [
            node,
            "--input-type=module",
            "-e",
            _RANK,
            str(site / "assets/precheck/suggest-rank.mjs"),
            str(site / suggestions.OUTPUT_NAME),
            str(queries_file),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_site_publishes_an_index_of_every_procedure(built_site: Path):
    data = json.loads((built_site / suggestions.OUTPUT_NAME).read_text(encoding="utf-8"))
    pages = kb_procedures.procedure_pages(ROOT / "docs")
    assert [entry["url"] for entry in data["procedures"]] == [
        suggestions.page_url(path.relative_to(ROOT / "docs").as_posix()) for path in pages
    ]
    for entry in data["procedures"]:
        assert (built_site / entry["url"] / "index.html").is_file(), entry["url"]
        assert entry["title"] and entry["summary"] and entry["applies_to"]
        assert "--8<--" not in entry["text"] and "](" not in entry["text"]


def test_the_precheck_page_does_not_load_the_index_before_typing(built_site: Path):
    html = (built_site / "precheck/index.html").read_text(encoding="utf-8")
    assert "suggestions-index.json" not in html
    assert 'aria-live="polite"' in html and 'id="precheck-suggestions"' in html


def test_the_text_of_a_page_keeps_its_words_once_without_markup():
    text = suggestions.plain_words(
        'Restart **Telephony**. See [the guide](restart.md).\n\n    --8<-- "site/x.md:value"\n'
        '!!! note "Before you start"\n<span class="a">Restart</span> `services.msc`'
    )
    assert text == "Restart Telephony. See the guide. Before you start services.msc"


@pytest.mark.parametrize(
    ("src", "directory_urls", "url"),
    [
        pytest.param("procedures/restart.md", True, "procedures/restart/", id="directory"),
        pytest.param("procedures/restart.md", False, "procedures/restart.html", id="file"),
        pytest.param("procedures/more/index.md", True, "procedures/more/", id="index"),
    ],
)
def test_a_page_address_follows_use_directory_urls(src: str, directory_urls: bool, url: str):
    assert suggestions.page_url(src, directory_urls) == url


def test_the_corpus_has_its_three_hurried_wordings():
    subjects = {item["subject"] for item in corpus()}
    assert {
        "phones ringing but agents see nothing in cytrack",
        "wallboard blank since this morning",
        "after the PBX engineer rebooted the switch, agents cannot log in",
    } <= subjects


def test_the_right_procedure_is_among_the_top_three_for_every_ticket_text(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    items = corpus()
    found = rank_all(built_site, items, tmp_path)
    wanted = [(item, urls) for item, urls in zip(items, found, strict=True) if item["expect"]]
    misses = [(item["subject"], urls) for item, urls in wanted if item["expect"] not in urls[:3]]
    first = sum(urls[:1] == [item["expect"]] for item, urls in wanted)
    with capsys.disabled():
        print(
            f"\nsuggestions: top-3 {len(wanted) - len(misses)}/{len(wanted)}, "
            f"top-1 {first}/{len(wanted)} ({first / len(wanted):.0%}) on {CORPUS.name}"
        )
    assert misses == []
    # Text about nothing a procedure covers suggests nothing, rather than noise.
    unrelated = [(item["subject"], urls) for item, urls in zip(items, found) if not item["expect"]]
    assert unrelated and all(urls == [] for _subject, urls in unrelated), unrelated


def test_the_issue_type_chosen_ranks_its_procedures_higher(built_site: Path, tmp_path: Path):
    subject = "calls not updating since the switch was fixed"
    as_phone, as_other = rank_all(
        built_site,
        [{"issue_type": "phone", "subject": subject}, {"issue_type": "other", "subject": subject}],
        tmp_path,
    )
    # The restart guide applies to phone and dashboard issues, the checks to every type.
    assert as_phone[0] == "procedures/restart/"
    assert as_other[0] == "procedures/check-phone-system-and-pc/"
