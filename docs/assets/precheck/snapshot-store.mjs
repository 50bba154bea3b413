// Where the pre-check's worker keeps its memory snapshot: one record in this browser's
// IndexedDB, the copy's non-zero pages compressed with gzip. The record is keyed by the
// runtime it was made from (every runtime file's sha256, from runtime.mjs) and Pyodide's build
// ID: a record made from other files is never handed out, and is deleted when found. Storage that is blocked,
// full or does not answer makes every function here do nothing: the checker then starts from
// scratch, as it does without a snapshot.

import { RUNTIME } from "./runtime.mjs";

const DATABASE = "cytrack-precheck";
const STORE = "snapshot";
const RECORD = "checker";
// Storage can be slow to answer, or never answer (some browsers, while storage is cleared):
// the checker waits no longer than this for its snapshot, then starts Python instead. The
// request itself goes on, so the snapshot of that start can still be stored.
const STORAGE_WAIT_MS = 2000;

const settle = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function withinWait(promise) {
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("storage did not answer")), STORAGE_WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let database = null;
function openDatabase() {
  database ||= (async () => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    return settle(request);
  })();
  return database;
}

async function inStore(mode, action) {
  const db = await openDatabase();
  const transaction = db.transaction(STORE, mode);
  const result = settle(action(transaction.objectStore(STORE)));
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  });
  return result;
}

let runtimeHash = null;
async function keyFor(buildId) {
  runtimeHash ||= crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(JSON.stringify(RUNTIME)))
    .then((digest) => [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")))
    .then((hex) => hex.join(""));
  return `${await runtimeHash} pyodide-${buildId}`;
}

export async function deleteSnapshot() {
  try {
    await inStore("readwrite", (store) => store.delete(RECORD));
  } catch {
    // storage is blocked: there is nothing to delete
  }
}

// Most of a started checker's memory is zeros (heap it has not used): only the pages with
// anything in them are stored, and decompressed on the way back.
const PAGE = 65536;
const MAX_SIZE = 2 ** 30; // no checker's memory is this large: a record that says so is not ours

const pageEnd = (page, size) => Math.min((page + 1) * PAGE, size);

// The indexes of the pages of `memory` that hold anything but zeros.
function nonZeroPages(memory) {
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.byteLength >> 2);
  const pages = [];
  for (let page = 0; page * PAGE < memory.byteLength; page++) {
    const end = pageEnd(page, memory.byteLength) >> 2;
    for (let word = (page * PAGE) >> 2; word < end; word++) {
      if (words[word]) {
        pages.push(page);
        break;
      }
    }
  }
  // Bytes past the last whole word (none: Pyodide's copies are 16-byte aligned) count too.
  const last = Math.floor((memory.byteLength - 1) / PAGE);
  if (memory.byteLength % 4 && pages.at(-1) !== last) pages.push(last);
  return pages;
}

function checkedPages({ size, pages }) {
  const valid =
    Number.isSafeInteger(size) &&
    size > 0 &&
    size <= MAX_SIZE &&
    Array.isArray(pages) &&
    pages.every(
      (page, index) =>
        Number.isSafeInteger(page) && page >= 0 && page * PAGE < size && !(pages[index - 1] >= page),
    );
  if (!valid) throw new Error("not a snapshot record");
  return pages;
}

// Decompresses the stored pages into a memory of `size` bytes, each where it belongs.
async function inflate(blob, size, pages) {
  const memory = new Uint8Array(size);
  const reader = blob.stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  let index = 0;
  let offset = 0; // into the page pages[index]
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let from = 0; from < value.length; ) {
      if (index === pages.length) throw new Error("more bytes than pages");
      const start = pages[index] * PAGE;
      const length = Math.min(pageEnd(pages[index], size) - start - offset, value.length - from);
      memory.set(value.subarray(from, from + length), start + offset);
      from += length;
      offset += length;
      if (start + offset === pageEnd(pages[index], size)) {
        index += 1;
        offset = 0;
      }
    }
  }
  if (index !== pages.length) throw new Error("fewer bytes than pages");
  return memory;
}

// On a first visit there is no database yet: opening one would create it, on the way to the
// start that needs every millisecond, so the list of databases is asked first where it can be.
async function storedRecord() {
  if (typeof indexedDB.databases === "function") {
    const databases = await indexedDB.databases();
    if (!databases.some(({ name }) => name === DATABASE)) return undefined;
  }
  return inStore("readonly", (store) => store.get(RECORD));
}

// The stored memory, decompressed, if there is a record made from this runtime; null
// otherwise. A record that is not one of ours, was made from other files or does not
// decompress (gzip's checksum fails) is deleted. Pyodide's restore checks the build ID again,
// against the copy's own header.
export async function readSnapshot() {
  let record;
  try {
    record = await withinWait(storedRecord());
  } catch {
    return null;
  }
  if (!record) return null;
  try {
    const { blob, buildId, key } = record;
    if (!(blob instanceof Blob) || typeof buildId !== "string" || typeof key !== "string") {
      throw new Error("not a snapshot record");
    }
    if (key !== (await keyFor(buildId))) throw new Error("made from another runtime");
    return await inflate(blob, record.size, checkedPages(record));
  } catch {
    await deleteSnapshot();
    return null;
  }
}

// Compresses and stores `memory`, made by Pyodide build `buildId` from this runtime. Any
// failure (a full quota included) leaves no record behind. Resolves once stored, or not.
export async function writeSnapshot(memory, buildId) {
  try {
    const size = memory.byteLength;
    const pages = nonZeroPages(memory);
    const parts = pages.map((page) => memory.subarray(page * PAGE, pageEnd(page, size)));
    const deflated = new Blob(parts).stream().pipeThrough(new CompressionStream("gzip"));
    const blob = await new Response(deflated).blob();
    const key = await keyFor(buildId);
    const record = { key, buildId, size, pages, blob };
    await inStore("readwrite", (store) => store.put(record, RECORD));
  } catch {
    await deleteSnapshot();
  }
}
