// The ticket checker: our Python engine (cytrack_ticket) on self-hosted Pyodide, in a module
// worker so that the page never freezes while Python starts or checks.
//
// Protocol (every request carries an id; every failure comes back as data, never thrown):
//   page → worker  {id, type: "check", draft: <JSON text>, now: <ISO date-time with offset>}
//   worker → page  {id, result: <the engine's result JSON text>} | {id, error: {code, message}}
// The worker runs in the browser's time zone: it tells the engine the UTC offset that zone has
// at the draft's time of occurrence (local-zone.mjs), so the ticket text states it.
//   worker → page  {type: "progress", stage: "download" | "start" | "engine", loaded}
//                  {type: "ready"} | {type: "failed", error: {code, message}}
// A check sent before "ready" waits for it. Loading starts the moment the worker starts.

import { loadPyodide } from "../pyodide/pyodide.mjs";
import { zoneForDraft } from "./local-zone.mjs";

const PYODIDE_URL = new URL("../pyodide/", import.meta.url);
const ENGINE_PACKAGE = "cytrack-ticket";
const PROGRESS_INTERVAL_MS = 100;

let failed = null;
let loaded = 0;
let lastProgress = 0;
const stderr = [];

function post(message) {
  self.postMessage(message);
}

function fail(code, message) {
  if (failed) return failed;
  failed = { code, message };
  post({ type: "failed", error: failed });
  return failed;
}

function progress(stage, force = false) {
  const now = performance.now();
  if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
  lastProgress = now;
  post({ type: "progress", stage, loaded });
}

function fileName(input) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return decodeURIComponent(new URL(url, self.location.href).pathname.split("/").pop());
}

async function countBytes(response) {
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    loaded += value.byteLength;
    progress("download");
  }
}

// Pyodide downloads the runtime, the standard library, the lock and the wheels with fetch().
// Watching those requests gives a true byte count for the progress bar, and reports a blocked
// request or a wheel that fails its integrity check at once: Pyodide itself would only log it
// (or, for the WebAssembly file, wait forever).
const pageFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const name = fileName(input);
  let response;
  try {
    response = await pageFetch(input, init);
  } catch (error) {
    const code = init && init.integrity ? "integrity" : "download";
    fail(
      code,
      code === "integrity"
        ? `${name} could not be downloaded, or it did not pass its integrity check.`
        : `${name} could not be downloaded.`,
    );
    throw error;
  }
  if (!response.ok) {
    fail("download", `${name} could not be downloaded (HTTP ${response.status}).`);
    return response;
  }
  if (response.body) {
    // A clone is counted; the original keeps its URL, so the browser can cache compiled code.
    countBytes(response.clone()).catch(() => {});
  }
  return response;
};

async function start() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw Object.assign(new Error("This browser cannot run WebAssembly."), { code: "webassembly" });
  }
  progress("download", true);
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_URL.href,
    lockFileURL: new URL("pyodide-lock.json", PYODIDE_URL).href,
    // Loaded while Python starts; the lock lists every wheel with its sha256, checked on download.
    packages: [ENGINE_PACKAGE],
    stdout: () => {},
    stderr: (line) => stderr.push(line),
  });
  if (failed) return null;
  progress("engine", true);
  if (!(ENGINE_PACKAGE in pyodide.loadedPackages)) {
    throw Object.assign(new Error(`The ticket rules did not load. ${stderr.join(" ")}`.trim()), {
      code: "packages",
    });
  }
  // The one PyProxy kept for the worker's lifetime: the engine's entry point.
  return pyodide.runPython("import cytrack_ticket\ncytrack_ticket.check_json");
}

const ready = start().then(
  (checkJson) => {
    if (checkJson && !failed) post({ type: "ready" });
    return checkJson;
  },
  (error) => {
    fail(error.code || "start", error.message || String(error));
    return null;
  },
);

self.addEventListener("message", async (event) => {
  const { id, type, draft, now } = event.data || {};
  if (type !== "check") {
    post({ id, error: { code: "request", message: `Unknown request type: ${type}` } });
    return;
  }
  const checkJson = await ready;
  if (!checkJson || failed) {
    post({ id, error: failed || { code: "start", message: "The checker did not start." } });
    return;
  }
  try {
    // The arguments are JS strings (or undefined: None), converted to Python str; the result
    // is a str, converted back, so no PyProxy is left to destroy.
    const text = String(draft);
    post({ id, result: checkJson(text, now == null ? undefined : String(now), zoneForDraft(text)) });
  } catch (error) {
    post({ id, error: { code: "engine", message: String(error && error.message ? error.message : error) } });
  }
});

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail("start", String(event.reason && event.reason.message ? event.reason.message : event.reason));
});
