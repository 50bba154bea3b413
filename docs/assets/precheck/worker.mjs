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
//                  {type: "notice", code: "full-stdlib", modules: [...]} (see below)
// A check sent before "ready" waits for it. Loading starts the moment the worker starts.
//
// Snapshot: the checker the page starts (the worker named "cytrack-precheck" by checker.mjs)
// copies its memory right after a start from scratch is "ready", before any draft reaches it,
// then compresses and stores the copy in this browser's IndexedDB (snapshot-store.mjs), keyed
// by the runtime's hashes and Pyodide's build ID. The next such worker restores it instead of
// starting Python. Only this device's own start of the checked files makes one; none is ever
// downloaded. A stored one is used only if its key matches, it decompresses, Pyodide restores
// it and it passes the build's self-check (snapshot-check.mjs: one known draft, the answer
// expected); otherwise it is deleted and Python starts as usual. Where the site's settings
// switch the snapshot off, the self-check is null: a stored snapshot is deleted, none is made.
// Any other worker (the tests' own) starts from scratch and leaves the store alone.
//
// The runtime (runtime.mjs, written by the build) lives in folders named by a hash of their
// content. Every file is checked against the build's sha256 before it is used: a file that
// fails, a WebAssembly file this browser cannot compile and a broken lock each end the start
// at once with the true reason, instead of waiting for the page's stall timeout.

import { RUNTIME } from "./runtime.mjs";
import { zoneForDraft } from "./local-zone.mjs";
import { deleteSnapshot, readSnapshot, writeSnapshot } from "./snapshot-store.mjs";
import { SNAPSHOT_SELF_CHECK } from "./snapshot-check.mjs";

const RUNTIME_BASE = new URL("../runtime/", import.meta.url);
const ENGINE_PACKAGE = "cytrack-ticket";
const PROGRESS_INTERVAL_MS = 100;
// Written into the trimmed standard library by the build (validator/kb_build/stdlib.py).
const OMITTED_FILE = "cytrack-omitted-modules.txt";

const href = (path) => new URL(path, RUNTIME_BASE).href;
const FILES = new Map(Object.entries(RUNTIME.files).map(([path, file]) => [href(path), file]));
const PYODIDE = href(RUNTIME.pyodide);
const PYODIDE_MJS = href(`${RUNTIME.pyodide}pyodide.mjs`);
const ASM_MJS = href(`${RUNTIME.pyodide}pyodide.asm.mjs`);
const WASM = href(`${RUNTIME.pyodide}pyodide.asm.wasm`);
const STDLIB = href(RUNTIME.stdlib);
const FULL_STDLIB = href(RUNTIME.fullStdlib);
const LOCK = href(RUNTIME.lock);
const WHEELS = new URL(".", LOCK).href;

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

// Throws nothing itself: returns an error to throw, after telling the page why.
function failure(code, message) {
  fail(code, message);
  return Object.assign(new Error(message), { code });
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

const downloadFailure = (name, status) => [
  "download",
  status ? `${name} could not be downloaded (HTTP ${status}).` : `${name} could not be downloaded.`,
];
const integrityFailure = (name) => [
  "integrity",
  `${name} did not pass its integrity check: it is not the file this site was built with.`,
];

function sri(digest) {
  let binary = "";
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return `sha256-${btoa(binary)}`;
}

// Outside a secure context (plain HTTP other than localhost) there is no crypto.subtle: the
// browser's own Subresource Integrity check on fetch() is used instead, which only says that
// the request failed, so a plain request then tells a corrupt file from a failed download.
async function diagnose(url, name) {
  try {
    const again = await pageFetch(url, { cache: "force-cache" });
    if (again.ok) return integrityFailure(name);
  } catch {
    // the file cannot be downloaded at all
  }
  return downloadFailure(name);
}

async function matches(chunks, file) {
  const whole = new Uint8Array(chunks.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of chunks) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  chunks.length = 0;
  return sri(await crypto.subtle.digest("SHA-256", whole)) === file.integrity;
}

// The body of `response`, passed on as it arrives (so WebAssembly compiles while it downloads,
// and the progress bar moves) but only ended once all of it has matched the build's sha256;
// otherwise it ends in an error, so nothing can use a file that fails. It is read as fast as it
// arrives, whether or not anyone reads it yet: a download must not wait for Pyodide to get to
// it. `verdict` settles with whether it matched. Bytes are counted as the server sends them
// with Brotli, as the progress bar's total is. `checked`: the browser has checked it already
// (see diagnose).
function verifiedBody(response, file, name, checked) {
  const reader = response.body.getReader();
  const chunks = [];
  const scale = file.brotli / file.size;
  let settle;
  const verdict = new Promise((resolve) => (settle = resolve));
  let abandoned = false; // the reader gave up: keep reading, only to give the verdict

  async function pump(controller) {
    const pass = (deliver) => {
      if (!abandoned) deliver();
    };
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        settle(false);
        const broken = `${name} could not be downloaded (the connection broke off).`;
        const error = failure("download", broken);
        pass(() => controller.error(error));
        return;
      }
      if (chunk.done) break;
      if (!checked) chunks.push(chunk.value);
      loaded += chunk.value.byteLength * scale;
      progress("download");
      pass(() => controller.enqueue(chunk.value));
    }
    if (!checked && !(await matches(chunks, file))) {
      settle(false);
      const error = failure(...integrityFailure(name));
      pass(() => controller.error(error));
      return;
    }
    settle(true);
    pass(() => controller.close());
  }

  const stream = new ReadableStream({
    start(controller) {
      pump(controller);
    },
    cancel() {
      // A compiler that met bytes it cannot compile: the rest is still read, so that a file
      // that differs from the build is reported as that.
      abandoned = true;
    },
  });
  return { stream, verdict };
}

// Whether each runtime file matched its hash, once it has all arrived.
const verdicts = new Map();

const pageFetch = self.fetch.bind(self);

// Fetches one of the runtime's files and checks it against the build's sha256 before use.
async function verifiedFetch(url, init = {}) {
  const file = FILES.get(url);
  const name = fileName(url);
  const browserChecks = !(self.crypto && self.crypto.subtle);
  let response;
  try {
    response = await pageFetch(url, browserChecks ? { ...init, integrity: file.integrity } : init);
  } catch {
    throw failure(...(browserChecks ? await diagnose(url, name) : downloadFailure(name)));
  }
  if (!response.ok) throw failure(...downloadFailure(name, response.status));
  const { stream, verdict } = verifiedBody(response, file, name, browserChecks);
  verdicts.set(url, verdict);
  const { status, statusText, headers } = response;
  return new Response(stream, { status, statusText, headers });
}

// Every download starts now, in parallel, rather than when Pyodide gets to each one. Pyodide's
// own fetch() of one of these is handed the response already under way, once (see self.fetch).
const prefetched = new Map();
const requested = new Set(); // by Pyodide
function prefetch(url) {
  if (requested.has(url)) return;
  const response = verifiedFetch(url);
  response.catch(() => {}); // reported by fail(); whoever uses it sees the rejection
  prefetched.set(url, response);
}
const downloaded = (url) => prefetched.get(url).then(() => verdicts.get(url));

function once(make) {
  let made = null;
  return () => (made ||= make());
}

// A module is checked, then imported: the import is served from the HTTP cache, where the
// checked download has just put it (the server lets browsers keep the runtime for a year).
const verifiedImport = (url) =>
  once(async () => {
    await (await verifiedFetch(url)).arrayBuffer();
    return import(url);
  });
const importPyodide = verifiedImport(PYODIDE_MJS);
const importRuntime = verifiedImport(ASM_MJS);

const readLock = once(async () => {
  const text = await (await verifiedFetch(LOCK)).text();
  let lock;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    throw failure("lock", `pyodide-lock.json is not valid JSON (${error.message}).`);
  }
  const packages = lock && typeof lock === "object" ? lock.packages : null;
  if (!packages || typeof packages !== "object" || !packages[ENGINE_PACKAGE]) {
    throw failure("lock", `pyodide-lock.json does not list the ticket rules (${ENGINE_PACKAGE}).`);
  }
  return lock;
});

// Pyodide downloads the WebAssembly, the standard library and the wheels with fetch(): each
// of the runtime's files is checked (the wheels against the same sha256 as in the lock), and
// counted for the progress bar.
self.fetch = async (input, init) => {
  const asked = input instanceof Request ? input.url : String(input);
  const url = new URL(asked, self.location.href).href;
  if (!FILES.has(url)) return pageFetch(input, init);
  requested.add(url);
  if (url === WASM) return precompiled();
  const response = prefetched.get(url);
  if (response) {
    prefetched.delete(url);
    return response;
  }
  // Checked here instead, as the bytes arrive.
  const rest = { ...init };
  delete rest.integrity;
  return verifiedFetch(url, rest);
};

// A WebAssembly file that passes its check can still fail: a browser too old to compile it, or
// a server that sends it with the wrong type (streaming compilation needs application/wasm).
// Pyodide would only log that and wait forever. The compiler may give up before the whole file
// has arrived: a file that then fails its check is reported as that instead.
for (const method of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
  const original = self.WebAssembly && self.WebAssembly[method];
  if (typeof original !== "function") continue;
  self.WebAssembly[method] = function (...args) {
    return original.apply(this, args).catch(async (error) => {
      if (await (verdicts.get(WASM) ?? true)) {
        const { CompileError, LinkError } = WebAssembly;
        fail(
          "webassembly",
          error instanceof CompileError || error instanceof LinkError
            ? `This browser could not compile pyodide.asm.wasm (${error.message}).`
            : `pyodide.asm.wasm could not be loaded (${error.message}).`,
        );
      }
      throw error;
    });
  };
}

// The WebAssembly is compiled from the browser's own response, not from a checked copy: only
// then can the browser keep the compiled code next to the cached file and skip compiling on
// the next visit. A copy of the bytes is checked meanwhile, and Pyodide gets the module only
// once they have matched. Compiling starts as the worker starts, while a restore still reads
// its snapshot.
const compiledWasm = once(async () => {
  const file = FILES.get(WASM);
  const name = fileName(WASM);
  const browserChecks = !(self.crypto && self.crypto.subtle);
  let response;
  try {
    response = await pageFetch(WASM, browserChecks ? { integrity: file.integrity } : {});
  } catch {
    throw failure(...(browserChecks ? await diagnose(WASM, name) : downloadFailure(name)));
  }
  if (!response.ok) throw failure(...downloadFailure(name, response.status));
  const { stream, verdict } = verifiedBody(response.clone(), file, name, browserChecks);
  verdicts.set(WASM, verdict);
  stream.cancel(); // the copy is read on for its verdict only
  const module = await WebAssembly.compileStreaming(response); // failures named (above)
  if (!(await verdict)) throw new Error(`${name} did not pass its integrity check.`);
  return module;
});

// What Pyodide's fetch() of the WebAssembly gets: a stand-in, which its instantiateStreaming()
// call (below) recognises and answers with the compiled module.
const precompiledResponses = new WeakSet();
function precompiled() {
  const response = new Response(null, { headers: { "Content-Type": "application/wasm" } });
  precompiledResponses.add(response);
  return Promise.resolve(response);
}
const instantiateStreaming = self.WebAssembly.instantiateStreaming;
self.WebAssembly.instantiateStreaming = async function (source, imports) {
  const response = await source;
  if (!precompiledResponses.has(response)) return instantiateStreaming.call(this, response, imports);
  const module = await compiledWasm();
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};

// Runs in Python once the engine's wheels are installed. The trimmed standard library lists
// what it leaves out; an import of one of those is noted by the last finder on sys.meta_path
// (the others having failed), whether the code that asked catches the ImportError or not.
// Then neither the engine's import nor a check is trusted: `check` returns None, and the
// worker starts again on the vendor's full standard library.
const ENGINE_PY = `
import sys
from zipimport import zipimporter


class _MissingModules:
    def __init__(self, left_out):
        self.left_out = left_out
        self.names = []

    def find_spec(self, name, path=None, target=None):
        if name in self.left_out:
            self.names.append(name)
        return None


def _left_out():
    try:
        stdlib = zipimporter("/lib/python%d%d.zip" % sys.version_info[:2])
        listed = stdlib.get_data(${JSON.stringify(OMITTED_FILE)})
    except OSError:
        return frozenset()
    return frozenset(listed.decode().split())


_missing = _MissingModules(_left_out())
sys.meta_path.append(_missing)
try:
    import cytrack_ticket
except ImportError:
    if not _missing.names:
        raise


def check(draft, now, tz=None):
    if _missing.names:
        return None
    try:
        result = cytrack_ticket.check_json(draft, now, tz)
    except ImportError:
        if not _missing.names:
            raise
    return None if _missing.names else result


check
`;

// `snapshot`: Pyodide's snapshot options, {_makeSnapshot: true} or {_loadSnapshot: memory}.
async function boot(stdlib, snapshot = {}) {
  const lock = readLock();
  const createPyodideModule = importRuntime().then((module) => module.default);
  createPyodideModule.catch(() => {});
  const { loadPyodide } = await importPyodide();
  const pyodide = await loadPyodide({
    indexURL: PYODIDE,
    stdLibURL: stdlib,
    lockFileContents: lock,
    packageBaseUrl: WHEELS,
    createPyodideModule,
    // Loaded while Python starts. A restored memory has the engine imported already (its
    // files are installed after "ready": see restore).
    packages: snapshot._loadSnapshot ? [] : [ENGINE_PACKAGE],
    stdout: () => {},
    stderr: (line) => stderr.push(line),
    ...snapshot,
  });
  if (failed) return null;
  progress("engine", true);
  // The one PyProxy kept for the worker's lifetime: the engine's entry point (a restored
  // memory has it already).
  if (snapshot._loadSnapshot) return { pyodide, check: pyodide.globals.get("check") };
  engineLoaded(pyodide);
  return { pyodide, check: pyodide.runPython(ENGINE_PY) };
}

function engineLoaded(pyodide) {
  if (!(ENGINE_PACKAGE in pyodide.loadedPackages)) {
    throw failure("packages", `The ticket rules did not load. ${stderr.join(" ")}`.trim());
  }
}

// ---- The memory snapshot (see the header) ----

// The self-check a restored checker must pass, for the page's checker; null: no snapshot.
const SNAPSHOT = self.name === "cytrack-precheck" ? SNAPSHOT_SELF_CHECK : null;

// Every restore starts from the same memory, the random generator's state included.
const RESEED_PY = `
import sys
if "random" in sys.modules:
    sys.modules["random"].seed()
`;

// The checker from this device's stored snapshot, or null (then the snapshot is deleted).
async function restore() {
  const memory = await readSnapshot();
  if (!memory) return null;
  try {
    progress("start", true);
    const restored = await boot(STDLIB, { _loadSnapshot: memory });
    if (!restored) return null;
    restored.pyodide.runPython(RESEED_PY);
    if (restored.check(SNAPSHOT.draft, SNAPSHOT.now) !== SNAPSHOT.result) {
      restored.check.destroy();
      throw new Error("the self-check gave another result");
    }
    // A snapshot holds no file system: the engine's files are installed again (for an import
    // the self-check did not make), after "ready"; a check waits for them.
    const { pyodide } = restored;
    const options = { messageCallback() {}, errorCallback: (line) => stderr.push(line) };
    restored.installed = pyodide.loadPackage(ENGINE_PACKAGE, options).then(() => {
      engineLoaded(pyodide);
    });
    restored.installed.catch(() => {}); // reported by failure(); a check sees the rejection
    return restored;
  } catch {
    // Kept when the runtime itself could not be had (offline, say): the start has failed.
    if (!failed) await deleteSnapshot();
    return null;
  }
}

// Copies the started checker's memory, synchronously, before any draft reaches it; it is
// compressed and stored while the worker otherwise waits for drafts. The self-check runs
// first: a checker that fails it leaves no copy, and one that passes has loaded the rules'
// schemas and messages, which a restored copy then has at once.
function makeSnapshot({ pyodide, check }) {
  try {
    if (check(SNAPSHOT.draft, SNAPSHOT.now) !== SNAPSHOT.result) return;
  } catch {
    return;
  }
  // Pyodide 314 makes snapshots only with its list of loaded packages empty (it expects
  // packages installed as files, not by loadPackage). The list is emptied for the copy only:
  // a restore installs the packages again (restore), which fills it.
  const loaded = pyodide.loadedPackages;
  const packages = { ...loaded };
  let memory;
  try {
    for (const name of Object.keys(packages)) delete loaded[name];
    memory = pyodide.makeMemorySnapshot();
  } catch {
    return;
  } finally {
    Object.assign(loaded, packages);
  }
  writeSnapshot(memory, pyodide._api.config.BUILD_ID);
}

const missingModules = (booted) =>
  booted.pyodide.runPython('" ".join(_missing.names)').split(" ").filter(Boolean);

let engine = null;
// Set when this start should leave a snapshot: it is made once "ready" has gone out.
let snapshotWanted = false;

// The trimmed standard library missed a module: say which (for whoever runs the site), and
// start again on the vendor's full one, which has every module. Once per worker.
const useFullStdlib = once(async () => {
  const missing = missingModules(engine);
  console.warn(
    `The pre-check's standard library lacks ${missing.join(", ")}: checking with Pyodide's full ` +
      "standard library instead. Rebuild the site (python -m kb_build) to record the module.",
  );
  post({ type: "notice", code: "full-stdlib", modules: missing });
  engine.check.destroy();
  engine = await boot(FULL_STDLIB);
  return engine;
});

async function start() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw Object.assign(new Error("This browser cannot run WebAssembly."), { code: "webassembly" });
  }
  progress("download", true);
  importPyodide();
  importRuntime();
  readLock().catch(() => {});
  // Python starts once the WebAssembly and the standard library are in. The wheels are
  // fetched then at the latest; Pyodide asks for them sooner, as soon as the WebAssembly
  // compiles, and holding them back until then was measured slower (README, Benchmarks).
  const wasm = compiledWasm();
  prefetch(STDLIB);
  const wheels = [...FILES.keys()].filter((url) => url.startsWith(WHEELS) && url.endsWith(".whl"));
  const fetchWheels = () => wheels.forEach(prefetch);
  Promise.all([wasm, downloaded(STDLIB)]).then(fetchWheels, fetchWheels);
  engine = SNAPSHOT && (await restore());
  if (engine) return engine;
  if (!SNAPSHOT_SELF_CHECK) deleteSnapshot();
  if (failed) return null;
  engine = await boot(STDLIB, SNAPSHOT ? { _makeSnapshot: true } : {});
  if (engine && missingModules(engine).length) {
    await useFullStdlib();
  } else if (engine && !failed && SNAPSHOT) {
    snapshotWanted = true;
  }
  return engine;
}

const ready = start().then(
  (started) => {
    if (started && !failed) {
      post({ type: "ready" });
      // Before any check runs (they wait for this promise), so no draft is in the copy.
      if (snapshotWanted) makeSnapshot(started);
    }
    return started;
  },
  (error) => {
    fail(error.code || "start", error.message || String(error));
    return null;
  },
);

async function runCheck(draft, now, tz) {
  // The arguments are JS strings (or undefined: None), converted to Python str; the result is
  // a str (or None when the standard library missed a module), converted back, so no PyProxy
  // is left to destroy.
  await engine.installed;
  const result = engine.check(draft, now, tz);
  if (result !== undefined) return result;
  await useFullStdlib();
  if (!engine) throw new Error(failed ? failed.message : "The checker did not start.");
  return engine.check(draft, now, tz);
}

self.addEventListener("message", async (event) => {
  const { id, type, draft, now } = event.data || {};
  if (type !== "check") {
    post({ id, error: { code: "request", message: `Unknown request type: ${type}` } });
    return;
  }
  if (!(await ready) || failed) {
    post({ id, error: failed || { code: "start", message: "The checker did not start." } });
    return;
  }
  try {
    // The worker runs in the browser's zone: the engine is told the offset that zone has at
    // the draft's time of occurrence.
    const text = String(draft);
    const result = await runCheck(text, now == null ? undefined : String(now), zoneForDraft(text));
    if (result === undefined) throw new Error("The check needs a module Python does not have.");
    post({ id, result });
  } catch (error) {
    const message = String(error && error.message ? error.message : error);
    post({ id, error: { code: "engine", message } });
  }
});

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail("start", String(event.reason && event.reason.message ? event.reason.message : event.reason));
});
