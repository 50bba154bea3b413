"""Benchmark of the in-browser ticket pre-check (headless Chromium, the built site served by a
local static server). Prints figures; asserts nothing.

- time to ready: navigation → the form's data-state="ready", cold cache (new context per run);
- bare Pyodide boot: a page that only boots the same Pyodide files in a module worker, cold;
  and the ratio of the two medians (target ≤ 0.6 since the trimmed, compiled standard
  library; delivery_bench.py measures the same through nginx);
- warm validation of a full draft in the worker, round trip from the page: p50 / p95
  (target p95 ≤ 2 ms);
- click "Check ticket" → errors on screen: p95 (target ≤ 100 ms);
- bytes transferred for a cold /precheck/, as a static host serves them: every response
  gzipped at level 6 (WebAssembly included), and uncompressed.

Usage: .venv/bin/python benchmarks/precheck_bench.py [--runs 5] [--site DIR]
(`make precheck-assets` first; without --site the site is built into a temp dir.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bare_boot import READY_OBSERVER, add_bare_page  # noqa: E402
from tests.browser.find_chromium import LAUNCH_ARGS, chromium_executable  # noqa: E402
from tests.browser.precheck_page import PrecheckPage, as_draft, complete_answers  # noqa: E402
from tests.browser.static_site import serve  # noqa: E402

# Round trips of one full draft through the worker, from the page, after a warm-up.
_WARM_CHECKS = """
async ([draft, now, runs]) => {
  const url = new URL("../assets/precheck/worker.mjs", location.href);
  const worker = new Worker(url, {type: "module"});
  const replies = new Map();
  worker.addEventListener("message", ({data}) => {
    if (data.id !== undefined) replies.get(data.id)(data);
  });
  const check = (id) => new Promise((resolve) => {
    replies.set(id, resolve);
    worker.postMessage({id, type: "check", draft, now});
  });
  const first = await check(0);
  if (first.error) throw new Error(first.error.message);
  for (let id = 1; id <= 50; id++) await check(id);
  const times = [];
  for (let id = 100; id < 100 + runs; id++) {
    const start = performance.now();
    await check(id);
    times.push(performance.now() - start);
  }
  worker.terminate();
  return {times, valid: JSON.parse(first.result).valid};
}
"""

# Time from a click on "Check ticket" to the error summary being painted.
_CLICK_TO_ERRORS = """
() => new Promise((resolve) => {
  const summary = document.querySelector("#precheck-error-summary");
  const button = document.querySelector("#precheck-check");
  let clickedAt = 0;
  const observer = new MutationObserver(() => {
    if (!summary.hidden && clickedAt) {
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - clickedAt), 0));
    }
  });
  observer.observe(summary, {attributes: true, attributeFilter: ["hidden"]});
  const onClick = () => { clickedAt = performance.now(); };
  button.addEventListener("click", onClick, {capture: true, once: true});
  button.click();
})
"""


def build_site(into: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(into)],
        cwd=ROOT,
        check=True,
    )
    add_bare_page(into)


def cold_ready_ms(browser: Browser, url: str) -> tuple[float, list[tuple[str, bytes]]]:
    """Milliseconds from navigation start to ready, in a new context; and every response."""
    context = browser.new_context()
    responses = []
    context.on("response", lambda response: responses.append(response))
    try:
        page = context.new_page()
        page.add_init_script(READY_OBSERVER)
        page.goto(url)
        page.locator("[data-state='ready'], [data-state='unavailable']").first.wait_for(
            timeout=120_000
        )
        state, ready_at = page.evaluate("() => [window.__benchState, window.__benchReadyAt]")
        if state != "ready":
            raise RuntimeError(f"{url} ended {state}")
        bodies = []
        seen = set()
        for response in responses:
            # Playwright reports a response the HTTP cache served too: the worker's import of
            # pyodide.asm.mjs after its checked download is one (the server sends it once).
            if response.url in seen:
                continue
            seen.add(response.url)
            try:
                bodies.append((response.url, response.body()))
            except Exception:  # redirects and aborted requests have no body
                continue
        return ready_at, bodies
    finally:
        context.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fill_invalid_phone_draft(page: Page, site: str) -> None:
    answers = complete_answers("phone")
    del answers["extension"]
    PrecheckPage(page, site).fill(answers)


def click_to_errors_ms(browser: Browser, site: str, runs: int) -> list[float]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site}precheck/")
        page.locator("#precheck-form[data-state='ready']").wait_for(timeout=120_000)
        times = []
        for _ in range(runs + 3):
            fill_invalid_phone_draft(page, site)
            times.append(page.evaluate(_CLICK_TO_ERRORS))
            page.get_by_role("button", name="Clear draft", exact=True).last.click()
            page.get_by_role("button", name="Yes, clear the draft").click()
        return times[3:]  # the first clicks warm up the page's code paths
    finally:
        context.close()


def warm_validation_ms(browser: Browser, site: str, runs: int) -> list[float]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site}precheck/")
        draft = json.dumps(as_draft(complete_answers("phone", after_hours=True)))
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        outcome = page.evaluate(_WARM_CHECKS, [draft, now, runs])
        if not outcome["valid"]:
            raise RuntimeError("the benchmark's full draft is not valid")
        return outcome["times"]
    finally:
        context.close()


def transfer_sizes(bodies: list[tuple[str, bytes]]) -> tuple[int, int, list[tuple[str, int, int]]]:
    rows = [(url, len(body), len(gzip.compress(body, compresslevel=6))) for url, body in bodies]
    return sum(row[1] for row in rows), sum(row[2] for row in rows), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads of each page (default 5)")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="precheck-bench-") as tmp:
        site_dir = Path(tmp) / "site"
        if args.site:
            subprocess.run(["cp", "-a", str(args.site), str(site_dir)], check=True)
            add_bare_page(site_dir)
        else:
            build_site(site_dir)
        with serve(site_dir) as site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable(), args=LAUNCH_ARGS, headless=True
            )
            ready, bare = [], []
            bodies: list[tuple[str, bytes]] = []
            # Interleaved, so that both see the same machine load.
            for _ in range(args.runs):
                ready_ms, bodies = cold_ready_ms(browser, f"{site}precheck/")
                ready.append(ready_ms)
                bare.append(cold_ready_ms(browser, f"{site}bench-bare/")[0])
            warm = warm_validation_ms(browser, site, 300)
            clicks = click_to_errors_ms(browser, site, 30)
            browser.close()

    raw, gzipped, rows = transfer_sizes(bodies)
    median_ready, median_bare = statistics.median(ready), statistics.median(bare)
    warm_p50, warm_p95 = percentile(warm, 0.5), percentile(warm, 0.95)
    click_p50, click_p95 = percentile(clicks, 0.5), percentile(clicks, 0.95)
    print(f"Pre-check benchmark: headless Chromium, {args.runs} cold runs each (new context each)")
    print(f"  time to ready        median {median_ready:7.0f} ms   runs {_ms(ready)}")
    print(f"  bare Pyodide boot    median {median_bare:7.0f} ms   runs {_ms(bare)}")
    print(f"  ratio (ready / bare)        {median_ready / median_bare:7.2f}    (target <= 0.6)")
    print(
        f"  warm validation      p50 {warm_p50:.2f} ms   p95 {warm_p95:.2f} ms"
        f"   ({len(warm)} round trips of a full draft; target p95 <= 2 ms)"
    )
    print(
        f"  click -> errors      p50 {click_p50:.1f} ms   p95 {click_p95:.1f} ms"
        f"   ({len(clicks)} clicks; target p95 <= 100 ms)"
    )
    print(
        f"  cold /precheck/      {gzipped / 1e6:.2f} MB gzip -6"
        f"   ({raw / 1e6:.2f} MB uncompressed, {len(rows)} responses)"
    )
    for url, size, packed in sorted(rows, key=lambda row: -row[2])[:8]:
        print(f"      {packed / 1e3:9.1f} kB gzip  {size / 1e3:9.1f} kB  {url.split('/', 3)[-1]}")
    return 0


def _ms(values: list[float]) -> str:
    return " ".join(f"{value:.0f}" for value in values)


if __name__ == "__main__":
    sys.exit(main())
