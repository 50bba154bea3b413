// The knowledge base's service worker: the whole site, offline, one build at a time.
// `python -m kb_build.offline site/` writes it as site/sw.js, with the build's file list
// (every page, style, script, the search index, the pre-check's runtime and wheels, each with
// its sha256) and the build's ID (a hash of that list) in place of the two markers below.
//
// Why not Workbox's precaching: it downloads the whole list in the install event, which on a
// first visit competes with the pre-check for bandwidth, and its md5 revisions cannot be
// checked here (SubtleCrypto has no md5). Here:
// - First visit: install does nothing; the page asks for the fill once the pre-check is ready
//   (or the browser is idle). The fill fetches with the browser's HTTP cache, so what the page
//   has already downloaded (the runtime and wheels) comes from there, not the network again.
//   Every file must match its sha256, or the fill stops: the server has a newer build.
// - One cache per build, named by the build ID, complete or not used offline. An update
//   fills the new build's cache in install (unchanged files copied from the old cache), waits
//   until the reader reloads (the page offers it) and then deletes every other build's cache.
// - Never two builds in one page load: a page and its files come from one cache. Pages are
//   asked from the network first; a page whose bytes are not this build's is not used (the
//   cached one is, and the browser is asked to look for the new worker).

const BUILD = "__KB_BUILD__";
const FILES = self.__KB_FILES; // [[path relative to the scope, sha256 hex], ...]

const PREFIX = "kb-site-";
const CACHE = `${PREFIX}${BUILD}`;
const SCOPE = new URL(self.registration.scope);
const COMPLETE = new URL("__kb-complete__", SCOPE).href; // marker: holds the file list
const PAGE_TIMEOUT_MS = 3000; // a network that hangs (not just off) falls back this soon
const FILL_PARALLEL = 3;

const url = (path) => new URL(path, SCOPE).href;
const SHA = new Map(FILES.map(([path, sha]) => [url(path), sha]));

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// A response that can be kept and served: not redirected, body decoded (so no encoding).
function keepable(response, body) {
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function isComplete(cacheName) {
  const cache = await caches.open(cacheName);
  return (await cache.match(COMPLETE)) !== undefined;
}

// Fetches one file of this build (through the HTTP cache) and checks it against its sha256.
async function download(key) {
  const response = await fetch(key, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${key}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  if ((await sha256(body)) !== SHA.get(key)) {
    throw Object.assign(new Error(`${key} is not this build's`), { newerBuild: true });
  }
  return keepable(response, body);
}

// Puts every file of this build into its cache, then the marker. `from`: an older build's
// complete cache, whose unchanged files are copied instead of fetched.
async function fill(from) {
  const cache = await caches.open(CACHE);
  let previous = new Map();
  if (from) {
    const old = await caches.open(from);
    const list = await (await old.match(COMPLETE)).json();
    previous = new Map(list.map(([path, sha]) => [url(path), sha]));
    previous.old = old;
  }
  const keys = [...SHA.keys()];
  async function worker() {
    for (let key = keys.shift(); key; key = keys.shift()) {
      if (await cache.match(key)) continue;
      const copy = previous.get(key) === SHA.get(key) && (await previous.old.match(key));
      await cache.put(key, copy || (await download(key)));
    }
  }
  await Promise.all(Array.from({ length: FILL_PARALLEL }, worker));
  await cache.put(COMPLETE, new Response(JSON.stringify(FILES)));
}

async function olderCompleteBuild() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE && (await isComplete(name))) return name;
  }
  return null;
}

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) client.postMessage(message);
}

let filling = null;
function fillOnce() {
  filling ||= (async () => (await isComplete(CACHE)) || fill(null))().then(
    () => tellPages({ type: "kb-offline", offline: true }),
    (error) => {
      filling = null;
      if (error && error.newerBuild) self.registration.update().catch(() => {});
    },
  );
  return filling;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const older = await olderCompleteBuild();
      // An update: this build's cache is complete before it may take over (or install fails
      // and the older build stays). A first install has nothing to mix with: it takes over.
      if (older) await fill(older);
      else await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const { type } = event.data || {};
  if (type === "kb-fill") event.waitUntil(fillOnce());
  else if (type === "kb-activate") self.skipWaiting();
  else if (type === "kb-status") {
    event.waitUntil(
      isComplete(CACHE).then((offline) =>
        event.source.postMessage({ type: "kb-offline", offline }),
      ),
    );
  }
});

// The key of a request: its URL without query or fragment, when it is one of this build's
// files; a directory's URL stands for its index.html.
function keyOf(request) {
  const requested = new URL(request.url);
  if (requested.origin !== SCOPE.origin || request.method !== "GET") return null;
  const key = `${requested.origin}${requested.pathname}`;
  return SHA.has(key) ? key : null;
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function cachedIfComplete(key) {
  if (!(await isComplete(CACHE))) return undefined;
  return (await caches.open(CACHE)).match(key);
}

async function page(event, key) {
  const cached = await cachedIfComplete(key);
  if (!cached) return fetch(event.request);
  try {
    const response = await withTimeout(fetch(event.request), PAGE_TIMEOUT_MS);
    const body = await response.arrayBuffer();
    if (response.ok && (await sha256(body)) === SHA.get(key)) return keepable(response, body);
    // Another build's page: keep this load on this build, and look for the new worker.
    self.registration.update().catch(() => {});
  } catch {
    // offline, or the network hangs
  }
  return cached;
}

async function asset(event, key) {
  return (await cachedIfComplete(key)) || fetch(event.request);
}

self.addEventListener("fetch", (event) => {
  const key = keyOf(event.request);
  if (key && event.request.mode === "navigate") event.respondWith(page(event, key));
  else if (key) event.respondWith(asset(event, key));
  else if (event.request.mode === "navigate" && event.request.method === "GET") {
    // Not a page of this build: the network, or offline this build's 404 page.
    event.respondWith(
      fetch(event.request).catch(async (error) => {
        const missing = await cachedIfComplete(url("404.html"));
        if (!missing) throw error;
        return new Response(await missing.arrayBuffer(), {
          status: 404,
          headers: missing.headers,
        });
      }),
    );
  }
});
