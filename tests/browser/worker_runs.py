"""Driving the pre-check's worker through its own message protocol (worker.mjs), from a second
worker the test starts on the page's origin (which the page's Content-Security-Policy allows)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

_RUN_IN_WORKER = """
async ([workerUrl, drafts, now, asThePage, lingerMs]) => {
  const url = workerUrl || new URL("../assets/precheck/worker.mjs", location.href);
  const name = asThePage ? "cytrack-precheck" : undefined;
  const worker = new Worker(url, {type: "module", name});
  const notices = [];
  try {
    const results = await new Promise((resolve, reject) => {
      const results = new Array(drafts.length);
      let left = drafts.length;
      worker.addEventListener("error", () => reject(new Error("the worker did not load")));
      worker.addEventListener("message", ({data}) => {
        if (data.type === "failed") reject(new Error(data.error.message));
        if (data.type === "notice") notices.push(data);
        if (data.id === undefined) return;
        results[data.id] = data.error ? {error: data.error} : data.result;
        if (--left === 0) resolve(results);
      });
      drafts.forEach((draft, id) => worker.postMessage({id, type: "check", draft, now}));
    });
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
    return [results, notices];
  } finally {
    worker.terminate();
  }
}
"""


def run_in_worker(
    page: Page,
    drafts: list[str],
    now: str,
    worker_url: str | None = None,
    *,
    as_the_page: bool = False,
    linger_ms: int = 0,
) -> tuple[list[Any], list[dict]]:
    """Each draft's result JSON text (or {"error": ...}) from a fresh worker (by default the one
    next to the page at /precheck/; any page of the site with `worker_url`), and the notices the
    worker sent. The worker runs in the page's time zone. `as_the_page`: started with the name
    the page's checker.mjs gives it, so it restores and makes memory snapshots as the page's
    checker does; otherwise it starts from scratch and leaves the snapshot store alone. The
    worker is ended `linger_ms` after the last result (time for it to store its snapshot)."""
    arguments = [worker_url, drafts, now, as_the_page, linger_ms]
    results, notices = page.evaluate(_RUN_IN_WORKER, arguments)
    return results, notices
