// The checker client: starts the Pyodide worker (worker.mjs, whose header describes the
// protocol) the moment this module runs, follows its start-up (loading, then ready or
// unavailable) and sends it checks by id.
//
// It imports nothing: a module runs only once all its static imports are fetched, and the
// worker takes seconds to load, so nothing may be fetched before it starts.

const WORKER_URL = new URL("./worker.mjs", import.meta.url);
const STALL_MS = 30000; // no sign of life from the worker for this long: give up

function startChecker() {
  const listeners = new Set();
  const pending = new Map();
  const state = { status: "loading", stage: "download", loaded: 0, failure: null };
  let worker = null;
  let nextId = 1;
  let stallTimer = 0;

  // The page's other scripts (kb-offline.js waits for it before filling its cache) see when
  // the checker has settled, ready or not.
  function settled() {
    document.documentElement.dataset.kbPrecheckSettled = state.status;
    document.dispatchEvent(new Event("kb-precheck-settled"));
  }

  const emit = () => listeners.forEach((listener) => listener(state));

  function fail(message) {
    if (state.status === "unavailable") return;
    clearTimeout(stallTimer);
    state.status = "unavailable";
    state.failure = message;
    if (worker) worker.terminate();
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
    settled();
    emit();
  }

  function alive() {
    clearTimeout(stallTimer);
    if (state.status === "loading") {
      stallTimer = setTimeout(() => fail("It took too long to load."), STALL_MS);
    }
  }

  function onMessage(event) {
    const message = event.data || {};
    alive();
    if (message.id !== undefined) {
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      let result;
      try {
        if (message.error) throw Object.assign(new Error(message.error.message), message.error);
        result = JSON.parse(message.result);
      } catch (error) {
        request.reject(error);
        return;
      }
      request.resolve(result);
    } else if (message.type === "progress" && state.status === "loading") {
      state.stage = message.stage;
      state.loaded = message.loaded;
      emit();
    } else if (message.type === "ready" && state.status === "loading") {
      state.status = "ready";
      clearTimeout(stallTimer);
      settled();
      emit();
    } else if (message.type === "failed") {
      fail(message.error.message);
    }
  }

  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    state.status = "unavailable";
    state.failure = "This browser cannot run it (it needs WebAssembly and Web Workers).";
    document.documentElement.dataset.kbPrecheckSettled = state.status;
  } else {
    let moduleWorkers = false;
    const options = {
      name: "cytrack-precheck",
      // Browsers without module workers never read this option.
      get type() {
        moduleWorkers = true;
        return "module";
      },
    };
    try {
      worker = new Worker(WORKER_URL, options);
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        fail("Its files could not be loaded.");
      });
      worker.addEventListener("messageerror", () => fail("It sent a message this page cannot read."));
      if (!moduleWorkers) fail("This browser is too old for it (it needs module workers).");
      alive();
    } catch (error) {
      fail(`This browser blocked it (${error.message}).`);
    }
  }

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
    },
    check(draftText, now) {
      if (state.status === "unavailable") return Promise.reject(new Error(state.failure));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type: "check", draft: draftText, now });
      });
    },
  };
}

export const checker = startChecker();
