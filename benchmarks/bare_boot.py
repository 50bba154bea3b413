"""A page that only boots Pyodide from the vendor's files, in a module worker: the reference
the pre-check's start is measured against (precheck_bench.py, delivery_bench.py).

It boots the vendor's Pyodide exactly as shipped (the folder pyodide-<hash>/ holds it unchanged,
with its full standard library of sources), with our lock but no package, and sets
data-state="ready" on <body> when Python has started. No inline script: it runs under the
site's Content-Security-Policy like any page.

A second page (add_checker_page) starts the pre-check's own checker (checker.mjs, the worker
and runtime as /precheck/ uses them) on a page with nothing else: what the checker costs
without the knowledge base's page around it (Material's scripts, its search index, the form).
"""

from __future__ import annotations

from pathlib import Path

FOLDER = "bench-bare"

# When any element's data-state first becomes "ready" or "unavailable", in ms since navigation
# start. Injected by the benchmark, not part of the product.
READY_OBSERVER = """
new MutationObserver((records) => {
  for (const record of records) {
    const state = record.target.getAttribute("data-state");
    if ((state === "ready" || state === "unavailable") && !window.__benchState) {
      window.__benchState = state;
      window.__benchReadyAt = performance.now();
    }
  }
}).observe(document, {attributes: true, attributeFilter: ["data-state"], subtree: true});
"""

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide boot</title>
<script type="module" src="bare.mjs"></script></head>
<body data-state="loading"><p>Booting Pyodide…</p></body></html>
"""
_PAGE = """
const worker = new Worker(new URL("bare-worker.mjs", import.meta.url), {type: "module"});
worker.addEventListener("message", ({data}) => { document.body.dataset.state = data; });
"""
_WORKER = """
import { RUNTIME } from "../assets/precheck/runtime.mjs";
const runtime = new URL("../assets/runtime/", import.meta.url);
const indexURL = new URL(RUNTIME.pyodide, runtime).href;
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
loadPyodide({ indexURL, lockFileURL: new URL(RUNTIME.lock, runtime).href }).then(
  () => self.postMessage("ready"),
  () => self.postMessage("unavailable"),
);
"""


def add_bare_page(site: Path) -> str:
    """Writes the page into the built site; returns its path below the site's root."""
    folder = site / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(_HTML, encoding="utf-8")
    (folder / "bare.mjs").write_text(_PAGE, encoding="utf-8")
    (folder / "bare-worker.mjs").write_text(_WORKER, encoding="utf-8")
    return f"{FOLDER}/"


CHECKER_FOLDER = "bench-checker"

_CHECKER_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The pre-check's checker alone</title>
<script type="module" src="checker-alone.mjs"></script></head>
<body data-state="loading"><p>Starting the checker…</p></body></html>
"""
_CHECKER_PAGE = """
import { checker } from "../assets/precheck/checker.mjs";
checker.subscribe(({ status }) => {
  if (status === "loading") return;
  document.body.dataset.state = status === "ready" ? "ready" : "unavailable";
});
"""


def add_checker_page(site: Path) -> str:
    """Writes the checker-alone page into the built site; returns its path below the root."""
    folder = site / CHECKER_FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(_CHECKER_HTML, encoding="utf-8")
    (folder / "checker-alone.mjs").write_text(_CHECKER_PAGE, encoding="utf-8")
    return f"{CHECKER_FOLDER}/"
