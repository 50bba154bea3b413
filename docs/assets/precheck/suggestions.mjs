// Procedures that may solve the problem, suggested while the customer writes: from the subject,
// the description and the steps taken (the catalogue block's suggestions.fields, with how much
// each counts) and the issue type chosen. Shown in a polite live region below the subject: never
// a popup, never taking the focus. The list only changes when the procedures shown change, so a
// screen reader is not told the same list again on every keystroke, and never while the focus
// is on one of its links: a list worked out then (an update still due from the last keys) waits
// until the focus leaves, so that a keyboard user's focus is not dropped and no other procedure
// slides under their Enter.
//
// The ranking (suggest-rank.mjs) and the index (suggestions-index.json, which the build makes
// from the procedures' front matter and text) are fetched from this site only once the customer
// starts writing: nothing typed leaves the browser, and a first visit downloads nothing extra.
// Debounced: the first keystroke after a pause updates the list at once; while keys come faster
// (a held key, a paste, autofill), updates are coalesced to one per QUIET_MS, the last keystroke
// included. Working the list out takes a few milliseconds even for 1,000 procedures
// (benchmarks/suggest_bench.py), so the wait stays short enough to feel immediate.

import { element } from "./helpers.mjs";
import { part, rawValue } from "./form-fields.mjs";

const INDEX_URL = new URL("./suggestions-index.json", import.meta.url);
const SITE_ROOT = new URL("../../", import.meta.url);
const MIN_CHARACTERS = 3;
const QUIET_MS = 40;

async function loadRanking() {
  const [ranking, response] = await Promise.all([import("./suggest-rank.mjs"), fetch(INDEX_URL)]);
  if (!response.ok) throw new Error(`${INDEX_URL.pathname}: HTTP ${response.status}`);
  return { ...ranking, index: ranking.buildIndex(await response.json()) };
}

export function createSuggestions(root, form) {
  const region = part(root, "suggestions");
  const panel = part(root, "suggestions-panel");
  const list = panel.querySelector("ul");
  const sources = Object.entries(form.catalogue.suggestions.fields)
    .map(([key, weight]) => [form.byKey.get(key), weight])
    .filter(([field]) => field);
  const sourceKeys = new Set(sources.map(([field]) => field.key));
  const typeField = form.byKey.get("issue_type");
  const knownTerms = new Map();
  let ranking = null; // the promise of the ranking and its index, once asked for
  let shownKey = "";
  let waiting = null; // worked out, not shown yet: the focus was in the list
  let updates = 0;
  let timer = 0;
  let lastRun = -Infinity;

  function show(found) {
    // How many times the list was worked out: tests and the benchmark watch it.
    region.dataset.kbUpdates = String(++updates);
    waiting = found;
    if (!panel.contains(document.activeElement)) showWaiting();
  }

  function showWaiting() {
    const found = waiting;
    waiting = null;
    const key = found.map((item) => item.procedure.url).join("\n");
    if (key === shownKey) return;
    shownKey = key;
    list.replaceChildren(
      ...found.map(({ procedure }) =>
        element(
          "li",
          { class: "kb-precheck__suggestion" },
          element("a", { href: new URL(procedure.url, SITE_ROOT).pathname }, procedure.title),
          element("p", { class: "kb-precheck__suggestion-summary" }, procedure.summary),
        ),
      ),
    );
    panel.hidden = found.length === 0;
  }

  async function update() {
    lastRun = performance.now();
    const texts = sources.map(([field, weight]) => [rawValue(field), weight]);
    const written = texts.reduce((count, [text]) => count + text.trim().length, 0);
    if (written < MIN_CHARACTERS) {
      show([]);
      return;
    }
    if (!ranking) ranking = loadRanking();
    let loaded;
    try {
      loaded = await ranking;
    } catch {
      return; // suggestions are a help, not a step: without the index the form works as before
    }
    const current = sources.map(([field, weight]) => [rawValue(field), weight]);
    for (const text of knownTerms.keys()) {
      if (!current.some(([value]) => value === text)) knownTerms.delete(text);
    }
    const type = rawValue(typeField) || null;
    show(loaded.rank(loaded.index, loaded.queryTerms(current, knownTerms), type));
  }

  function schedule() {
    if (timer) return; // an update is already due
    const wait = QUIET_MS - (performance.now() - lastRun);
    if (wait <= 0) update();
    else timer = setTimeout(() => ((timer = 0), update()), wait);
  }

  function onEdit(event) {
    const name = event.target && event.target.name;
    if (sourceKeys.has(name) || name === typeField.key) schedule();
  }
  form.element.addEventListener("input", onEdit);
  form.element.addEventListener("change", onEdit);
  // Once the focus has moved on; not when the window loses it, for the link keeps it then.
  panel.addEventListener("focusout", () => {
    setTimeout(() => {
      if (waiting && !panel.contains(document.activeElement)) showWaiting();
    });
  });

  return {
    // After answers were put in the form at once (a restored draft, an opened file, an undo).
    refresh() {
      clearTimeout(timer);
      timer = 0;
      update();
    },
    // When the draft is cleared.
    clear() {
      clearTimeout(timer);
      timer = 0;
      show([]);
    },
  };
}
