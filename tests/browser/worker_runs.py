"""Driving the pre-check's worker through its own message protocol (worker.mjs), from a second
worker the test starts on the page's origin (which the page's Content-Security-Policy allows)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

_RUN_IN_WORKER = """
async ([workerUrl, drafts, now]) => {
  const url = workerUrl || new URL("../assets/precheck/worker.mjs", location.href);
  const worker = new Worker(url, {type: "module"});
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
    return [results, notices];
  } finally {
    worker.terminate();
  }
}
"""


def run_in_worker(
    page: Page, drafts: list[str], now: str, worker_url: str | None = None
) -> tuple[list[Any], list[dict]]:
    """Each draft's result JSON text (or {"error": ...}) from a fresh worker (by default the one
    next to the page at /precheck/; any page of the site with `worker_url`), and the notices the
    worker sent. The worker runs in the page's time zone."""
    results, notices = page.evaluate(_RUN_IN_WORKER, [worker_url, drafts, now])
    return results, notices
