"""Benchmark of the return visit (issue 11): the pre-check restored from this device's memory
snapshot, and the knowledge base offline. Served by nginx through deploy/nginx/ (HTTPS, HTTP/2)
with the service worker, as `make site` leaves the site; headless Chromium, a new persistent
profile per run. Prints figures; asserts nothing.

- loopback: navigation → the pre-check's data-state="ready" on a repeat visit that restores the
  snapshot, against a bare Pyodide boot of the vendor's files (benchmarks/bare_boot.py), same
  run, both as a first visit (as delivery_bench.py measures it) and with its files in the HTTP
  cache (the stricter comparison); target ratio ≤ 0.3. For reference: the same repeat visit
  with the snapshot deleted first (Python starts from scratch);
- 10 Mbps / 40 ms (Chromium's network emulation): the repeat visit with the snapshot; target
  ≤ 1.0 s;
- the cost of making the snapshot on the first visit: from "ready" until it is stored, the
  page's main-thread long tasks in that time (target: none over 50 ms), and the first visit's
  ready against the same site with the snapshot switched off (it must not be later);
- offline: after one visit, with the network off, navigation → /procedures/restart/ painted
  and readable (its <h1> and first step in the DOM); target ≤ 1 s.

Usage: .venv/bin/python benchmarks/offline_bench.py [--runs 5]
(`make bench` runs it after `make generate`.)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bare_boot import READY_OBSERVER  # noqa: E402
from benchmarks.delivery_bench import build, chromium_args, emulate, persistent  # noqa: E402
from kb_build import nginx, offline, precompress  # noqa: E402
from tests.browser import snapshot_records  # noqa: E402

READY_TIMEOUT_MS = 240_000
STORE_TIMEOUT_MS = 60_000
OFFLINE_NOTE = "This site is available offline on this device."
SWITCHED_OFF = "export const SNAPSHOT_SELF_CHECK = null;\n"
NETWORK = "10 Mbps / 40 ms"

# Main-thread tasks over 50 ms, as the page's PerformanceObserver saw them.
_LONG_TASKS = """
window.__benchLongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__benchLongTasks.push([entry.startTime, entry.duration]);
  }
}).observe({type: "longtask", buffered: true});
"""

# Navigation → first contentful paint, and → the restart guide's text in the DOM.
_READABLE = """
() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const navigation = performance.getEntriesByType("navigation")[0];
  return [paint ? paint.startTime : null, navigation.domContentLoadedEventEnd];
}
"""


@dataclass
class Visit:
    ready_ms: float
    stored_ms: float | None = None  # when the snapshot was seen stored (first visit)
    long_tasks: list[tuple[float, float]] = field(default_factory=list)  # after ready

    @property
    def store_ms(self) -> float | None:
        return None if self.stored_ms is None else self.stored_ms - self.ready_ms


def open_precheck(context: BrowserContext, url: str, network: str | None = None) -> Page:
    page = context.new_page()
    emulate(context, page, network)
    page.add_init_script(READY_OBSERVER)
    page.add_init_script(_LONG_TASKS)
    page.goto(url + "precheck/")
    page.locator("[data-state='ready'], [data-state='unavailable']").first.wait_for(
        timeout=READY_TIMEOUT_MS
    )
    if page.evaluate("() => window.__benchState") != "ready":
        raise RuntimeError(f"{url}precheck/ did not become ready")
    return page


def ready_at(page: Page) -> float:
    return page.evaluate("() => window.__benchReadyAt")


def first_visit(context: BrowserContext, url: str, wait_for_snapshot: bool) -> Visit:
    """The first visit; with `wait_for_snapshot`, until the snapshot is stored and the site
    is available offline, with the main thread's long tasks after ready."""
    page = open_precheck(context, url)
    visit = Visit(ready_at(page))
    if wait_for_snapshot:
        if snapshot_records.record(page, wait_ms=STORE_TIMEOUT_MS) is None:
            raise RuntimeError("the first visit stored no snapshot")
        visit.stored_ms = page.evaluate("() => performance.now()")
        tasks = page.evaluate("() => window.__benchLongTasks")
        visit.long_tasks = [(start, length) for start, length in tasks if start >= visit.ready_ms]
        page.locator(".kb-offline").filter(has_text=OFFLINE_NOTE).wait_for(timeout=STORE_TIMEOUT_MS)
    page.close()
    return visit


def repeat_visit(context: BrowserContext, url: str, network: str | None = None) -> Visit:
    page = open_precheck(context, url, network)
    visit = Visit(ready_at(page))
    page.close()
    return visit


def bare_boot(context: BrowserContext, url: str) -> list[float]:
    """A bare Pyodide boot of the vendor's files: a first visit (as delivery_bench.py measures
    it), then a second one with its files cached."""
    boots = []
    for _ in range(2):
        page = context.new_page()
        page.add_init_script(READY_OBSERVER)
        page.goto(url + "bench-bare/")
        page.locator("[data-state='ready']").wait_for(timeout=READY_TIMEOUT_MS)
        boots.append(ready_at(page))
        page.close()
    return boots


def offline_restart_guide(context: BrowserContext, url: str) -> tuple[float, float]:
    """With the network off: navigation → first paint, and → the guide in the DOM."""
    context.set_offline(True)
    try:
        page = context.new_page()
        page.goto(url + "procedures/restart/", wait_until="domcontentloaded")
        page.locator("article h1").wait_for()
        paint, loaded = page.evaluate(_READABLE)
        page.close()
        return paint, loaded
    finally:
        context.set_offline(False)


def switched_off_copy(site: Path, into: Path) -> Path:
    """The same site with the snapshot switched off, as precheck_snapshot: false builds it."""
    shutil.copytree(site, into)
    (into / "assets/precheck/snapshot-check.mjs").write_text(SWITCHED_OFF, encoding="utf-8")
    offline.write(into)
    precompress.precompress(into)
    return into


@contextmanager
def serve(sites: dict[str, Path], work: Path, certificate: Path, key: Path) -> Iterator[dict]:
    with ExitStack() as stack:
        urls = {}
        for name, site in sites.items():
            listen = nginx.Listen(nginx.free_port(), certificate, key)
            (urls[name],) = stack.enter_context(
                nginx.serving(site, [listen], run=work / f"nginx-{name}")
            )
        yield urls


def in_profile(playwright: Playwright, work: Path, name: str, args: list[str], run: Callable):  # type: ignore[no-untyped-def]
    context = persistent(playwright, work / f"profile-{name}", args)
    try:
        return run(context)
    finally:
        context.close()


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms   runs " + " ".join(f"{v:.0f}" for v in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    args = parser.parse_args(argv)
    if shutil.which(nginx.NGINX) is None:
        print("offline_bench: nginx is not installed (nginx-light)", file=sys.stderr)
        return 1

    figures: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    long_tasks: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="offline-bench-") as tmp:
        work = Path(tmp)
        site = work / "site"
        build(site)
        sites = {"on": site, "off": switched_off_copy(site, work / "site-off")}
        certificate, key = nginx.make_certificate(work / "tls")
        chromium = chromium_args(certificate)
        with serve(sites, work, certificate, key) as urls, sync_playwright() as playwright:
            for run in range(args.runs):

                def loopback(context: BrowserContext) -> None:
                    first = first_visit(context, urls["on"], wait_for_snapshot=True)
                    note("first ready", first.ready_ms)
                    note("store", first.store_ms or 0)
                    long_tasks.extend(first.long_tasks)
                    note("repeat, snapshot", repeat_visit(context, urls["on"]).ready_ms)
                    page = context.new_page()
                    page.goto(urls["on"] + "procedures/")
                    snapshot_records.remove(page)
                    page.close()
                    note("repeat, no snapshot", repeat_visit(context, urls["on"]).ready_ms)
                    paint, loaded = offline_restart_guide(context, urls["on"])
                    note("offline paint", paint)
                    note("offline loaded", loaded)

                def networked(context: BrowserContext) -> None:
                    first_visit(context, urls["on"], wait_for_snapshot=True)
                    note("repeat 10 Mbps", repeat_visit(context, urls["on"], NETWORK).ready_ms)

                def switched_off(context: BrowserContext) -> None:
                    note("first ready, off", first_visit(context, urls["off"], False).ready_ms)

                def bare(context: BrowserContext) -> None:
                    cold, cached = bare_boot(context, urls["on"])
                    note("bare, cold", cold)
                    note("bare", cached)

                for name, measure in (
                    ("loopback", loopback),
                    ("networked", networked),
                    ("off", switched_off),
                    ("bare", bare),
                ):
                    in_profile(playwright, work, f"{name}-{run}", chromium, measure)

    median = {name: statistics.median(values) for name, values in figures.items()}
    print("Offline benchmark: nginx (deploy/nginx/, HTTPS + HTTP/2) with the service worker,")
    print(f"headless Chromium, a new persistent profile per run; medians of {args.runs} runs")
    print("\nRepeat visit, loopback: navigation → ready")
    print(f"  with the snapshot          {_ms(figures['repeat, snapshot'])}")
    print(f"  snapshot deleted first     {_ms(figures['repeat, no snapshot'])}")
    print(f"  bare Pyodide boot, cached  {_ms(figures['bare'])}")
    print(f"  bare Pyodide boot, cold    {_ms(figures['bare, cold'])}")
    for name in ("bare", "bare, cold"):
        ratio = median["repeat, snapshot"] / median[name]
        print(f"  ratio to the {name + ' boot':15} {ratio:5.2f}      (target <= 0.3)")
    print(f"\nRepeat visit, {NETWORK}: navigation → ready")
    print(f"  with the snapshot          {_ms(figures['repeat 10 Mbps'])}   (target <= 1000 ms)")
    print("\nMaking the snapshot, first visit (loopback):")
    print(f"  ready, snapshot on         {_ms(figures['first ready'])}")
    print(f"  ready, snapshot off        {_ms(figures['first ready, off'])}")
    print(f"  ready → snapshot stored    {_ms(figures['store'])}")
    worst = max((duration for _, duration in long_tasks), default=0)
    print(
        f"  main-thread long tasks from ready until stored: {len(long_tasks)}, "
        f"longest {worst:.0f} ms (target: none over 50 ms)"
    )
    print("\nOffline, after one visit: navigation → /procedures/restart/")
    print(f"  first contentful paint     {_ms(figures['offline paint'])}   (target <= 1000 ms)")
    print(f"  DOM content loaded         {_ms(figures['offline loaded'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
