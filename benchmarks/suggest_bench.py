"""Benchmark of the pre-check's suggested procedures (headless Chromium, the built site served
by a local static server). Prints figures; asserts nothing.

- keystroke -> suggestions updated: a person types a subject and a description into /precheck/
  (one key every --pace ms, a fast typist's 150 ms by default); for each key, the time from its
  keydown to the suggestions being worked out again (the region's data-kb-updates changing) and
  to the next frame being painted. p50 / p95 on a site of 1,000 procedures (generated for this
  benchmark only, next to the site's own) against the site's own procedures in the same run,
  and the ratio (target p95 <= 50 ms with 1,000 procedures);
- the same while keys come in a burst (every 30 ms, like a held key): updates are coalesced;
- the ranking alone, in the page: p50 / p95 per keystroke's text, 1,000 procedures;
- the first suggestions: from the keystroke that starts them to the list (downloading the
  ranking module and the index, then building the index);
- bytes: what suggestions add to a cold /precheck/ (its view module) and what is fetched once
  typing starts (ranking module and index), gzip -6 as a static host serves them.

Usage: .venv/bin/python benchmarks/suggest_bench.py [--procedures 1000] [--pace 150] [--runs 2]
       [--site DIR]   (without --site the site is built into a temp dir)
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb_build import procedures as kb_procedures  # noqa: E402
from kb_build import suggestions  # noqa: E402
from tests.browser.find_chromium import LAUNCH_ARGS, chromium_executable  # noqa: E402
from tests.browser.static_site import serve  # noqa: E402

SUBJECT = "after the PBX engineer rebooted the switch, agents cannot log in"
DESCRIPTION = (
    "Since 02:10 no agent can sign in to the CyTrack client. Calls still ring on the desk "
    "phones and the phone system works again."
)

# Records, in page time, every keydown and every time the suggestions were worked out (with the
# next painted frame). Injected by the benchmark, not part of the product.
_OBSERVER = """
window.__keys = [];
window.__updates = [];
document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
const watchRegion = () => {
  const region = document.querySelector("#precheck-suggestions");
  if (!region) return false;
  new MutationObserver(() => {
    const at = performance.now();
    const entry = {at, painted: null, shown: region.querySelectorAll("a").length};
    window.__updates.push(entry);
    requestAnimationFrame(() => setTimeout(() => { entry.painted = performance.now(); }, 0));
  }).observe(region, {attributes: true, attributeFilter: ["data-kb-updates"]});
  return true;
};
if (!watchRegion()) document.addEventListener("DOMContentLoaded", watchRegion);
"""

# The ranking alone, in the page, for every prefix of what is typed.
_RANK_ONLY = """
async ([texts, type]) => {
  const ranking = await import(new URL("../assets/precheck/suggest-rank.mjs", location.href));
  const data = await (await fetch(new URL("../assets/precheck/suggestions-index.json",
    location.href))).json();
  const index = ranking.buildIndex(data);
  const known = new Map();
  const times = [];
  for (const [subject, description] of texts) {
    const start = performance.now();
    ranking.rank(index, ranking.queryTerms([[subject, 1], [description, 0.6]], known), type);
    times.push(performance.now() - start);
  }
  return times;
}
"""

# Words for generated procedures: the site's own vocabulary, so that common words are common.
_EXTRA_WORDS = [
    "queue",
    "agent",
    "supervisor",
    "headset",
    "softphone",
    "licence",
    "server",
    "database",
    "report",
    "wallboard",
    "dashboard",
    "network",
    "firewall",
    "browser",
    "update",
    "restart",
    "service",
    "client",
    "extension",
    "group",
    "site",
    "recording",
    "transfer",
    "voicemail",
    "outage",
    "login",
    "password",
    "certificate",
    "backup",
    "schedule",
    "export",
]


def generate_procedures(into: Path, count: int, seed: int = 2026) -> list[Path]:
    """``count`` procedure pages with realistic front matter and ~400 words each."""
    words = set(_EXTRA_WORDS)
    for page in kb_procedures.procedure_pages(ROOT / "docs"):
        words.update(
            word.strip(".,:;()\"'").lower()
            for word in page.read_text(encoding="utf-8").split()
            if word.strip(".,:;()\"'").isalpha()
        )
    vocabulary = sorted(words)
    chooser = random.Random(seed)
    types = ["phone", "dashboard", "other"]
    folder = into / "procedures"
    folder.mkdir(parents=True)
    pages = []
    for number in range(count):
        title = " ".join(chooser.choices(vocabulary, k=chooser.randint(5, 9))).capitalize()
        summary = " ".join(chooser.choices(vocabulary, k=chooser.randint(14, 24))).capitalize()
        applies = sorted(chooser.sample(types, chooser.randint(1, 3)))
        keywords = chooser.sample(vocabulary, chooser.randint(0, 6))
        steps = "\n\n".join(
            f"{step}. **{' '.join(chooser.choices(vocabulary, k=6))}**\n\n"
            f"    **You should see:** {' '.join(chooser.choices(vocabulary, k=30))}."
            for step in range(1, 11)
        )
        text = (
            f"---\ntitle: {title}\nsummary: {summary}\napplies_to: [{', '.join(applies)}]\n"
            f"audience: [customer]\nlast_reviewed: 2026-11-26\n"
            f"keywords: [{', '.join(keywords)}]\n---\n\n"
            f"{' '.join(chooser.choices(vocabulary, k=40))}.\n\n## Steps\n\n{steps}\n"
        )
        page = folder / f"generated-{number:04d}.md"
        page.write_text(text, encoding="utf-8")
        pages.append(page)
    return pages


def large_index(count: int, work: Path) -> dict:
    """The site's own procedures plus ``count`` generated ones, indexed by the build's code."""
    docs = work / "docs"
    generated = generate_procedures(docs, count)
    real = kb_procedures.procedure_pages(ROOT / "docs")
    own = suggestions.index_data(ROOT / "docs", real)
    extra = suggestions.index_data(docs, generated)
    return {**own, "procedures": own["procedures"] + extra["procedures"]}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def typing_latencies(browser: Browser, site: str, pace_ms: int) -> dict:
    """Types SUBJECT then DESCRIPTION at ``pace_ms`` per key; latencies per key, in ms."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(_OBSERVER)
        page.goto(f"{site}precheck/?type=phone")
        page.locator("[data-kb-precheck][data-kb-initialised='true']").wait_for()
        page.evaluate("() => { window.__keys.length = 0; window.__updates.length = 0; }")
        page.locator("#precheck-subject").click()
        page.keyboard.type(SUBJECT, delay=pace_ms)
        page.locator("#precheck-description").click()
        page.keyboard.type(DESCRIPTION, delay=pace_ms)
        page.wait_for_timeout(500)
        keys, updates = page.evaluate("() => [window.__keys, window.__updates]")
    finally:
        context.close()
    to_update, to_paint = [], []
    # The third character starts the suggestions (MIN_CHARACTERS in suggestions.mjs): its update
    # waits for the ranking module and the index. Keys typed meanwhile are not counted.
    starting = keys[2]
    loaded_at = next(u["at"] for u in updates if u["at"] >= starting)
    first = loaded_at - starting
    for pressed in keys[3:]:
        if pressed <= loaded_at:
            continue
        after = next((u for u in updates if u["at"] >= pressed), None)
        if after is None:
            continue
        to_update.append(after["at"] - pressed)
        if after["painted"] is not None:
            to_paint.append(after["painted"] - pressed)
    return {"update": to_update, "paint": to_paint, "first": first, "updates": len(updates)}


def rank_only(browser: Browser, site: str) -> list[float]:
    texts = [[SUBJECT[:n], ""] for n in range(3, len(SUBJECT) + 1)]
    texts += [[SUBJECT, DESCRIPTION[:n]] for n in range(1, len(DESCRIPTION) + 1)]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site}precheck/")
        for _ in range(3):  # warm-up: the engine's JIT
            page.evaluate(_RANK_ONLY, [texts[:20], "phone"])
        return page.evaluate(_RANK_ONLY, [texts, "phone"])
    finally:
        context.close()


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", type=int, default=1000)
    parser.add_argument("--pace", type=int, default=150, help="ms between keys (default 150)")
    parser.add_argument("--runs", type=int, default=2, help="typing runs on each site")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as tmp:
        work = Path(tmp)
        own_site, big_site = work / "own" / "site", work / "big" / "site"
        if args.site:
            shutil.copytree(args.site, own_site)
        else:
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", own_site],
                cwd=ROOT,
                check=True,
            )
        shutil.copytree(own_site, big_site)
        big_index = big_site / suggestions.OUTPUT_NAME
        big_index.write_text(suggestions.render(large_index(args.procedures, work)), "utf-8")
        own_count = len(
            json.loads((own_site / suggestions.OUTPUT_NAME).read_text("utf-8"))["procedures"]
        )

        with (
            serve(own_site) as own,
            serve(big_site) as big,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=chromium_executable(), args=LAUNCH_ARGS, headless=True
            )
            runs: dict[str, list[dict]] = {"own": [], "big": []}
            for _ in range(args.runs):  # interleaved, so that both see the same machine load
                runs["own"].append(typing_latencies(browser, own, args.pace))
                runs["big"].append(typing_latencies(browser, big, args.pace))
            burst = typing_latencies(browser, big, 30)
            ranking = rank_only(browser, big)
            browser.close()

        view = gzipped(own_site / "assets/precheck/suggestions.mjs")
        rank_module = gzipped(own_site / "assets/precheck/suggest-rank.mjs")
        own_bytes, big_bytes = gzipped(own_site / suggestions.OUTPUT_NAME), gzipped(big_index)
        big_raw = big_index.stat().st_size

    def merged(site: str, key: str) -> list[float]:
        return [value for run in runs[site] for value in run[key]]

    own_update, big_update = merged("own", "update"), merged("big", "update")
    own_p95, big_p95 = percentile(own_update, 0.95), percentile(big_update, 0.95)
    print(
        f"Suggestions benchmark: headless Chromium, {args.runs} typing runs per site "
        f"interleaved, one key every {args.pace} ms ({len(SUBJECT) + len(DESCRIPTION)} keys)"
    )
    for name, label, count in (("own", "site's own", own_count), ("big", "1,000+", None)):
        update, paint = merged(name, "update"), merged(name, "paint")
        procedures = f"{count} procedures" if count else f"{own_count + args.procedures} procs"
        print(
            f"  keystroke -> updated   {label:10} ({procedures:>14}): p50 "
            f"{percentile(update, 0.5):5.1f} ms  p95 {percentile(update, 0.95):5.1f} ms"
            f"   painted p50 {percentile(paint, 0.5):5.1f}  p95 {percentile(paint, 0.95):5.1f}"
            f"   ({len(update)} keys)"
        )
    print(f"  ratio p95 (1,000+ / own)          {big_p95 / own_p95:5.2f}   (target p95 <= 50 ms)")
    print(
        f"  burst, a key every 30 ms: {burst['updates']} updates for "
        f"{len(SUBJECT) + len(DESCRIPTION)} keys; keystroke -> updated p50 "
        f"{percentile(burst['update'], 0.5):.1f} ms  p95 {percentile(burst['update'], 0.95):.1f} ms"
    )
    print(
        f"  ranking alone, {own_count + args.procedures} procedures: p50 "
        f"{statistics.median(ranking):.2f} ms  p95 {percentile(ranking, 0.95):.2f} ms"
        f"   ({len(ranking)} texts)"
    )
    firsts = [run["first"] for run in runs["own"] if run["first"] is not None]
    big_firsts = [run["first"] for run in runs["big"] if run["first"] is not None]
    print(
        f"  first suggestions (download + build index): own {statistics.median(firsts):.0f} ms,"
        f" 1,000+ {statistics.median(big_firsts):.0f} ms (median)"
    )
    print(
        f"  bytes on a cold /precheck/: {view / 1e3:.1f} kB gzip (the view module); fetched "
        f"once typing starts: ranking {rank_module / 1e3:.1f} kB + index {own_bytes / 1e3:.1f}"
        f" kB gzip (1,000+ procedures: {big_bytes / 1e3:.0f} kB gzip, {big_raw / 1e6:.1f} MB raw)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
