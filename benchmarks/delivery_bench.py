"""Benchmark of the site as users meet it: served by nginx through deploy/nginx/ (HTTPS, HTTP/2,
precompressed Brotli, a year of caching for content-hashed files), in headless Chromium with the
network emulated, against the same site served by nginx with on-the-fly gzip only (the
baseline, benchmarks/baseline-site.conf), in the same run. Prints figures; asserts nothing.

- loopback, cold: navigation → the pre-check's data-state="ready", against a bare Pyodide boot of
  the vendor's files (benchmarks/bare_boot.py) through the same server; target ratio ≤ 0.6;
  beside them the same checker started by a page with nothing else (bare_boot.add_checker_page),
  which tells what the checker costs from what the page around it costs;
- 10 Mbps / 40 ms and 1.6 Mbps / 150 ms (Chromium's network emulation): cold (a new profile)
  and repeat (the same persistent profile, a new tab) navigation → ready, ours and baseline;
  targets: cold ≤ 4.5 s and ≤ 26 s;
- cold bytes by file, as nginx sent them (its access log) until the pre-check was ready, ours
  and baseline (target ≤ 4.2 MB), and apart from them what the service worker's offline copy
  fetched in the moments after; and what a repeat visit asked for (target: no content-hashed
  file);
- Lighthouse (npm lighthouse, mobile preset, CHROME_PATH = the tests' Chromium) for /,
  /precheck/ and /procedures/restart/ through our configuration; targets: performance ≥ 95,
  best practices, accessibility and SEO 100. A run that fails is tried again, twice.

Each part is printed as soon as it is measured.

Usage: .venv/bin/python benchmarks/delivery_bench.py [--runs 3] [--no-lighthouse]
       [--only loopback|network|lighthouse ...] [--site DIR] [--before DIR]
(`make bench` runs it after `make generate`. --site measures an already built site instead of
building one; --before also measures another built site, e.g. of an earlier commit, served by
the same configuration, its visits in turn with ours, so that the two compare under one load.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bare_boot import READY_OBSERVER, add_bare_page, add_checker_page  # noqa: E402
from kb_build import nginx, offline, precompress  # noqa: E402
from tests.browser.find_chromium import LAUNCH_ARGS, chromium_executable  # noqa: E402

PROFILES = {
    # name: (download bits/s, upload bits/s, round trip ms)
    "10 Mbps / 40 ms": (10e6, 5e6, 40),
    "1.6 Mbps / 150 ms": (1.6e6, 0.75e6, 150),
}
TARGET_COLD_S = {"10 Mbps / 40 ms": 4.5, "1.6 Mbps / 150 ms": 26}
LIGHTHOUSE_PAGES = ("", "precheck/", "procedures/restart/")
CATEGORIES = "performance,accessibility,best-practices,seo"
BASELINE_CONF = ROOT / "benchmarks" / "baseline-site.conf"
READY_TIMEOUT_MS = 240_000
PARTS = ("loopback", "network", "lighthouse")
LIGHTHOUSE_ATTEMPTS = 3

# A line of nginx's timed.log (kb_build.nginx.TIMED_LOG_FORMAT).
_LOG_LINE = re.compile(r'^([0-9.]+) (\d{3}) (\d+) "(?:GET|HEAD) (\S+) [^"]*"$', re.MULTILINE)


@dataclass
class Server:
    name: str
    url: str
    log: Path  # timed.log

    def mark(self) -> int:
        return self.log.stat().st_size

    def since(self, mark: int) -> list[tuple[float, str, int, int]]:
        """(seconds since the epoch, path, status, body bytes sent) of each response logged
        after `mark`."""
        with self.log.open("rb") as file:
            file.seek(mark)
            text = file.read().decode("utf-8", "replace")
        return [
            (float(match[1]), match[4].split("?")[0], int(match[2]), int(match[3]))
            for match in _LOG_LINE.finditer(text)
        ]


@dataclass
class Visit:
    ready_ms: float
    # What nginx logged until the page was ready, and in the moments after (the service
    # worker's offline copy starts once the pre-check is ready).
    requests: list[tuple[str, int, int]] = field(default_factory=list)
    after_ready: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(sent for _, _, sent in self.requests)


def build(into: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "SITE_URL"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(into)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    add_bare_page(into)
    add_checker_page(into)
    offline.write(into)  # as `make site` leaves it: with the service worker
    precompress.precompress(into)


@contextmanager
def servers(
    site: Path, before: Path | None, work: Path, certificate: Path, key: Path
) -> Iterator[dict[str, Server]]:
    """ours and baseline serve `site`; before (with --before) serves that site like ours."""
    configs = {"ours": (site, "cytrack-kb/site.conf"), "baseline": (site, str(BASELINE_CONF))}
    if before:
        configs["before"] = (before, "cytrack-kb/site.conf")
    with ExitStack() as stack:
        running = {}
        for name, (root, site_conf) in configs.items():
            run = work / f"nginx-{name}"
            listen = nginx.Listen(nginx.free_port(), certificate, key)
            (url,) = stack.enter_context(
                nginx.serving(root, [listen], run=run, site_conf=site_conf)
            )
            running[name] = Server(name, url, run / "timed.log")
        yield running


def emulate(context: BrowserContext, page, profile: str | None) -> None:  # type: ignore[no-untyped-def]
    if profile is None:
        return
    down, up, rtt = PROFILES[profile]
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": rtt,
            "downloadThroughput": down / 8,
            "uploadThroughput": up / 8,
        },
    )


def visit(context: BrowserContext, server: Server, path: str, profile: str | None) -> Visit:
    page = context.new_page()
    try:
        emulate(context, page, profile)
        page.add_init_script(READY_OBSERVER)
        mark = server.mark()
        page.goto(server.url + path)
        page.locator("[data-state='ready'], [data-state='unavailable']").first.wait_for(
            timeout=READY_TIMEOUT_MS
        )
        state, ready_at, ready_epoch_ms = page.evaluate(
            "() => [window.__benchState, window.__benchReadyAt,"
            " performance.timeOrigin + window.__benchReadyAt]"
        )
        if state != "ready":
            raise RuntimeError(f"{server.url}{path} ended {state}")
        page.wait_for_timeout(300)  # let the access log catch up with the last responses
        logged = server.since(mark)
        # Sent by the time the page was ready (nginx logs a response once it has sent it).
        before = [row[1:] for row in logged if row[0] * 1000 <= ready_epoch_ms]
        after = [row[1:] for row in logged if row[0] * 1000 > ready_epoch_ms]
        return Visit(ready_at, before, after)
    finally:
        page.close()


def chromium_args(certificate: Path) -> list[str]:
    """Chromium trusts the run's certificate as it would a real one: with a certificate error
    (ignore_https_errors) it would cache nothing, and every visit would be a cold one."""
    return [*LAUNCH_ARGS, f"--ignore-certificate-errors-spki-list={nginx.spki_sha256(certificate)}"]


def persistent(playwright: Playwright, profile_dir: Path, args: list[str]) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=chromium_executable(), args=args, headless=True
    )


def loopback(playwright: Playwright, running: dict[str, Server], runs: int, work: Path, args):  # type: ignore[no-untyped-def]
    """Cold visits, one of each in turn: the pre-check (and the --before build's), the same
    checker on a page with nothing else, the bare boot."""
    visits: dict[str, list[Visit]] = {"ours": [], "before": [], "checker": [], "bare": []}
    targets = [("ours", "ours", "precheck/"), ("before", "before", "precheck/")]
    targets = [row for row in targets if row[1] in running] + [
        ("checker", "ours", "bench-checker/"),
        ("bare", "ours", "bench-bare/"),
    ]
    for index in range(runs):
        for into, server, target in targets:
            context = persistent(playwright, work / f"loopback-{index}-{into}", args)
            try:
                visits[into].append(visit(context, running[server], target, None))
            finally:
                context.close()
    return visits


def networked(playwright: Playwright, running: dict[str, Server], runs: int, work: Path, args):  # type: ignore[no-untyped-def]
    results: dict[tuple[str, str], dict[str, list[Visit]]] = {}
    for index in range(runs):
        for profile in PROFILES:
            for name, server in running.items():
                profile_dir = work / f"profile-{index}-{name}-{profile[:3]}"
                context = persistent(playwright, profile_dir, args)
                try:
                    cold = visit(context, server, "precheck/", profile)
                    repeat = visit(context, server, "precheck/", profile)
                finally:
                    context.close()
                slot = results.setdefault((profile, name), {"cold": [], "repeat": []})
                slot["cold"].append(cold)
                slot["repeat"].append(repeat)
    return results


def _lighthouse_report(binary: Path, url: str, report: Path, flags: str) -> str | None:
    """Runs Lighthouse on `url` into `report`; None, or why it failed every attempt (it fails
    now and then on a loaded machine, for example NO_NAVSTART: its trace missed the start)."""
    options = [f"--chrome-flags={flags}", f"--only-categories={CATEGORIES}"]
    failure = None
    for _attempt in range(LIGHTHOUSE_ATTEMPTS):
        report.unlink(missing_ok=True)
        try:
            run = subprocess.run(
                [str(binary), url, "--quiet", "--output=json", f"--output-path={report}", *options],
                env={**os.environ, "CHROME_PATH": chromium_executable() or ""},
                capture_output=True,
                text=True,
                timeout=600,
            )
        except subprocess.TimeoutExpired:
            failure = "timed out after 600 s"
            continue
        if run.returncode == 0 and report.is_file():
            return None
        lines = (run.stderr or run.stdout).strip().splitlines()
        failure = lines[0] if lines else f"exit status {run.returncode}"
    return failure


def lighthouse(server: Server, work: Path, args: list[str]) -> dict[str, dict]:
    scores: dict[str, dict] = {}
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    flags = " ".join([*args, "--headless=new"])
    for path in LIGHTHOUSE_PAGES:
        report = work / f"lighthouse-{path.strip('/').replace('/', '-') or 'home'}.json"
        failure = _lighthouse_report(binary, server.url + path, report, flags)
        if failure:
            scores["/" + path] = {"failed": failure}
            continue
        data = json.loads(report.read_text(encoding="utf-8"))
        audits = data["audits"]
        scores["/" + path] = {
            **{name: category["score"] * 100 for name, category in data["categories"].items()},
            "FCP s": audits["first-contentful-paint"]["numericValue"] / 1000,
            "LCP s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "TBT ms": audits["total-blocking-time"]["numericValue"],
            "CLS": audits["cumulative-layout-shift"]["numericValue"],
            "failing": [
                audit_id
                for category in data["categories"].values()
                for ref in category["auditRefs"]
                if ref["weight"]
                and (audit_id := ref["id"]) in audits
                and audits[audit_id]["score"] is not None
                and audits[audit_id]["score"] < 0.9
            ],
        }
    return scores


def _s(visits: list[Visit]) -> str:
    return f"{statistics.median(v.ready_ms for v in visits) / 1000:6.2f} s"


def _runs(visits: list[Visit]) -> str:
    return " ".join(f"{v.ready_ms / 1000:.2f}" for v in visits)


def report_bytes(title: str, cold: Visit) -> None:
    after = sum(sent for _, _, sent in cold.after_ready)
    print(
        f"  {title}: {cold.bytes / 1e6:.2f} MB in {len(cold.requests)} responses until ready"
        f" (then {after / 1e6:.2f} MB in {len(cold.after_ready)} for the offline copy)"
    )
    by_file = sorted(cold.requests, key=lambda row: -row[2])
    for path, status, sent in by_file[:12]:
        print(f"      {sent / 1e3:9.1f} kB  {status}  {path}")
    rest = by_file[12:]
    if rest:
        print(f"      {sum(r[2] for r in rest) / 1e3:9.1f} kB  in {len(rest)} smaller responses")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="measure only these parts (default: all)",
    )
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument(
        "--before",
        type=Path,
        help="another built site (e.g. of an earlier commit), measured like ours in turn with it",
    )
    args = parser.parse_args(argv)
    parts = set(args.only) - ({"lighthouse"} if args.no_lighthouse else set())
    if shutil.which(nginx.NGINX) is None:
        print("delivery_bench: nginx is not installed (nginx-light)", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="delivery-bench-") as tmp:
        work = Path(tmp)
        site = work / "site"
        if args.site:
            # A copy: the bare-boot page is added to it.
            shutil.copytree(args.site, site, symlinks=True)
            add_bare_page(site)
            add_checker_page(site)
            precompress.precompress(site)
        else:
            build(site)
        before = None
        if args.before:
            before = work / "before"
            shutil.copytree(args.before, before, symlinks=True)
        certificate, key = nginx.make_certificate(work / "tls")
        chromium = chromium_args(certificate)
        # Each part is printed once measured, so that a later part's failure loses nothing.
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        print("Delivery benchmark: nginx (deploy/nginx/, HTTPS + HTTP/2) against nginx with")
        print(
            "on-the-fly gzip only (baseline), headless Chromium, same run;"
            f" medians of {args.runs} runs ({args.runs + 2} on loopback)"
        )
        with (
            servers(site, before, work, certificate, key) as running,
            sync_playwright() as playwright,
        ):
            if "loopback" in parts:
                report_loopback(loopback(playwright, running, args.runs + 2, work, chromium))
            if "network" in parts:
                report_network(networked(playwright, running, args.runs, work, chromium))
            if "lighthouse" in parts:
                report_lighthouse(lighthouse(running["ours"], work, chromium))
    return 0


def report_loopback(cold: dict[str, list[Visit]]) -> None:
    bare = cold["bare"]
    print("\nLoopback, cold (new profile each run, interleaved with the bare boot):")
    rows = (
        ("ours", "pre-check ready", "(target <= 0.6; "),
        ("before", "  --before build", "(target <= 0.6; "),
        ("checker", "its checker, page alone", "("),
    )
    for name, title, target in rows:
        visits = cold[name]
        if not visits:
            continue
        ratio = statistics.median(v.ready_ms for v in visits) / statistics.median(
            v.ready_ms for v in bare
        )
        ratios = " ".join(
            f"{v.ready_ms / b.ready_ms:.2f}" for v, b in zip(visits, bare, strict=True)
        )
        print(f"  {title:24} {_s(visits)}   runs {_runs(visits)}")
        print(f"    ratio to the bare boot {ratio:6.2f}     {target}run by run {ratios})")
    print(f"  bare Pyodide boot        {_s(bare)}   runs {_runs(bare)}")


def report_network(results: dict[tuple[str, str], dict[str, list[Visit]]]) -> None:
    print("\nNavigation → ready, emulated network:")
    print(f"  {'profile':20} {'config':9} {'cold':>9} {'repeat':>9}   cold runs / repeat runs")
    for (profile, name), visits in results.items():
        target = f"(target <= {TARGET_COLD_S[profile]} s)" if name == "ours" else ""
        print(
            f"  {profile:20} {name:9} {_s(visits['cold'])} {_s(visits['repeat'])}"
            f"   {_runs(visits['cold'])} / {_runs(visits['repeat'])} {target}"
        )
    print("\nCold /precheck/, bytes as nginx sent them (target <= 4.2 MB):")
    first = next(iter(PROFILES))
    for name in [name for name in ("ours", "before", "baseline") if (first, name) in results]:
        report_bytes(name, results[(first, name)]["cold"][0])
    print("\nRepeat visit (same profile), what reached nginx:")
    for name in [name for name in ("ours", "before", "baseline") if (first, name) in results]:
        repeat = results[(first, name)]["repeat"][0]
        asked = repeat.requests + repeat.after_ready
        hashed = [row for row in asked if row[0].startswith("/assets/runtime/")]
        statuses = statistics.multimode(status for _, status, _ in asked) or ["-"]
        print(
            f"  {name:9} {len(asked)} requests, {sum(r[2] for r in asked) / 1e3:.1f} kB;"
            f" content-hashed files: {len(hashed)} requests, {sum(r[2] for r in hashed)} bytes"
            f" (most common status {statuses[0]})"
        )


def report_lighthouse(scores: dict[str, dict]) -> None:
    if scores:
        print("\nLighthouse (mobile preset, simulated throttling), our configuration:")
        print(
            f"  {'page':22} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}"
            f" {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6}  below 0.9"
        )
        for page, row in scores.items():
            if "failed" in row:
                print(f"  {page:22} Lighthouse failed {LIGHTHOUSE_ATTEMPTS} times: {row['failed']}")
                continue
            print(
                f"  {page:22} {row['performance']:5.0f} {row['accessibility']:5.0f}"
                f" {row['best-practices']:5.0f} {row['seo']:5.0f} {row['FCP s']:6.2f}"
                f" {row['LCP s']:6.2f} {row['TBT ms']:7.0f} {row['CLS']:6.3f}"
                f"  {', '.join(row['failing']) or '-'}"
            )
        print("  targets: performance >= 95; accessibility, best practices, SEO 100")


if __name__ == "__main__":
    sys.exit(main())
