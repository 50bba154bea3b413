// The ticket pre-check page's script (docs/precheck/index.md loads it as an async module).
// It enhances the form that validator/kb_build/precheck_form.py generates from the schemas:
// checks drafts in the Pyodide worker, shows errors the GOV.UK way, keeps drafts in this
// browser, and saves or opens them as files. Everything the user typed or opened is written
// with textContent or .value, never as HTML.
//
// The modules: checker.mjs (the worker and requests to it), form-fields.mjs (the form's
// fields and the draft) with date-time-field.mjs and local-zone.mjs (the time of occurrence
// and its zone), status-view.mjs, findings-view.mjs and result-view.mjs (what the user sees of
// the checker and of a check), suggestions.mjs with suggest-rank.mjs (procedures that may
// solve the problem, loaded once the user writes), draft-storage.mjs and draft-files.mjs
// (drafts in this browser and as files), draft-text.mjs (a draft file's bytes as text and
// JSON, by the command line's rules), helpers.mjs (shared by them) and page.mjs (wires them).

// Importing the checker starts the worker. The rest of the page's code is imported only
// afterwards: a module runs once all its static imports are fetched, and the worker, which
// takes seconds to load, must not wait for them.
import { checker } from "./checker.mjs";

// The script may run before the page has finished parsing; the form is enhanced once the
// document is ready.
import("./page.mjs").then(({ enhance }) => {
  const init = () => {
    const root = document.querySelector("[data-kb-precheck]");
    if (root && !root.dataset.kbInitialised) enhance(root, checker);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
  else init();
});
