"""The pre-check's stored memory snapshot as the tests and benchmarks reach it: the one record
docs/assets/precheck/snapshot-store.mjs keeps in this browser's IndexedDB. Its database, store
and key are named here once for them."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# The start of every function below: `get()` and `put(record)` / `remove()` on the record.
_STORE = """
  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open("cytrack-precheck", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("snapshot");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const inStore = async (mode, act) => {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const request = act(db.transaction("snapshot", mode).objectStore("snapshot"));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  };
  const get = () => inStore("readonly", (store) => store.get("checker"));
  const put = (record) => inStore("readwrite", (store) => store.put(record, "checker"));
  const remove = () => inStore("readwrite", (store) => store.delete("checker"));
"""

# The record as {key, marked}, or null; waits up to `waitMs` for one to appear.
_RECORD = f"""
async (waitMs) => {{
{_STORE}
  const until = performance.now() + waitMs;
  let record = await get();
  while (!record && performance.now() < until) {{
    await new Promise((resolve) => setTimeout(resolve, 25));
    record = await get();
  }}
  return record ? {{key: record.key, marked: !!record.marked}} : null;
}}
"""

# Changes the record in place and marks it (see `tamper`); returns how many places of the
# memory "self-check" altered.
_TAMPER = f"""
async ([how, message]) => {{
{_STORE}
  const record = await get();
  record.marked = true;
  const inflate = async (blob) => new Uint8Array(await new Response(
    blob.stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  const deflate = (bytes) => new Response(
    new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).blob();
  let altered = 0;
  if (how === "corrupt") {{
    const bytes = new Uint8Array(await record.blob.arrayBuffer());
    for (let i = 1000; i < bytes.length; i += 997) bytes[i] ^= 0x5a;
    record.blob = new Blob([bytes]);
  }} else if (how === "pages") {{
    record.pages = [0, 0, ...record.pages];
  }} else if (how === "key") {{
    record.key = record.key.replace(/^[0-9a-f]{{8}}/, "00000000");
  }} else if (how === "build-id") {{
    const memory = await inflate(record.blob);
    for (let i = 16; i < 48; i++) memory[i] ^= 0xff;
    record.blob = await deflate(memory);
  }} else if (how === "self-check") {{
    const memory = await inflate(record.blob);
    const needle = new TextEncoder().encode(message);
    for (let i = memory.indexOf(needle[0]); i !== -1; i = memory.indexOf(needle[0], i + 1)) {{
      if (needle.every((byte, j) => memory[i + j] === byte)) {{
        memory[i] = needle[0] === 0x58 ? 0x59 : 0x58;
        altered += 1;
      }}
    }}
    record.blob = await deflate(memory);
  }}
  await put(record);
  return altered;
}}
"""

_STAND_IN = f"""
async () => {{
{_STORE}
  await put({{key: "k", buildId: "b", blob: new Blob(["x"])}});
}}
"""

_REMOVE = f"""
async () => {{
{_STORE}
  await remove();
}}
"""


def record(page: Page, wait_ms: int = 0) -> dict[str, Any] | None:
    """The stored record as {key, marked}, or None; waits up to `wait_ms` for one."""
    return page.evaluate(_RECORD, wait_ms)


def tamper(page: Page, how: str, message: str = "") -> int:
    """Changes the record in place, and marks it, so that a restore (the record kept) can be
    told from a fresh start (the record replaced by an unmarked one). `how`: "mark",
    "corrupt" (bytes of the gzip stream flipped), "pages" (its list of stored pages not a list
    of pages), "key" (made from another runtime), "build-id" (the key matches, the copy's own
    header names another Pyodide build), "self-check" (a restorable copy of a checker that
    answers otherwise: `message`, one of the engine's messages, altered wherever it is in the
    memory). Returns how many places "self-check" altered."""
    return page.evaluate(_TAMPER, [how, message])


def store_stand_in(page: Page) -> None:
    """A record such as an earlier build (with the snapshot on) could have left."""
    page.evaluate(_STAND_IN)


def remove(page: Page) -> None:
    page.evaluate(_REMOVE)
