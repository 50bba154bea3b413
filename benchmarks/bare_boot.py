"""A page that only boots Pyodide from the vendor's files, in a module worker: the reference
the pre-check's start is measured against (precheck_bench.py, delivery_bench.py).

It boots the vendor's Pyodide exactly as shipped (the folder pyodide-<hash>/ holds it unchanged,
with its full standard library of sources), with our lock but no package, and sets
data-state="ready" on <body> when Python has started. No inline script: it runs under the
site's Content-Security-Policy like any page.
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
