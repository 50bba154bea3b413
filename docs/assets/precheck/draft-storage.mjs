// The drafts kept in this browser (localStorage). Nothing typed is ever lost or overwritten:
//
// - Each tab keeps its own draft, under its own key; sessionStorage remembers which draft is
//   this tab's, so a reload restores it. No tab ever writes another tab's key.
// - An open tab holds a Web Lock named after its draft. A new tab takes over the most recent
//   draft that no open tab holds (the draft of a closed tab, or of an earlier visit), and
//   lists the others under "Other drafts in this browser".
// - Every saved draft carries a revision. If this tab's draft was written by someone else
//   since this tab last read or wrote it (a duplicated tab, a browser without Web Locks),
//   this tab's answers move to a new draft with a notice, instead of overwriting.
// - Opening a draft file keeps the answers it replaced with the draft (`imports`), so Undo
//   works after a reload, until the user dismisses it.
// - A save that fails (full or disabled storage) is said at once in the status area, with
//   "Save draft as file"; the page only ever says "saved" about a save that happened.

import { element } from "./helpers.mjs";
import { part } from "./form-fields.mjs";
import { showFileStatus } from "./draft-files.mjs";
import { visible } from "./draft-text.mjs";

// Versioned: a later format can tell an older draft from its own.
const DRAFT_KEY = "cytrack-kb.precheck.draft.v2.";
const OLD_DRAFT_KEY = "cytrack-kb.precheck.draft.v1"; // one draft for every tab
const MIGRATED_ID = "v1";
const TAB_KEY = "cytrack-kb.precheck.tab"; // sessionStorage: this tab's draft id
const UNSAVED_KEY = "cytrack-kb.precheck.unsaved."; // sessionStorage: when saving first failed
const LOCK_NAME = "cytrack-kb.precheck.draft.";
const SUBJECT_SHOWN = 60;

function storage(name) {
  try {
    return window[name];
  } catch {
    return null; // storage disabled: drafts are then only kept as files
  }
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (byte) => byte.toString(36).padStart(2, "0")).join("");
}

function isQuotaError(error) {
  return error instanceof DOMException && (error.name === "QuotaExceededError" || error.code === 22);
}

function own(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function parseRecord(text) {
  try {
    const record = JSON.parse(text);
    if (record && typeof record === "object" && record.values && typeof record.values === "object") return record;
  } catch {
    // a damaged entry is treated as absent, never as an error of the page
  }
  return null;
}

function readRecord(store, id) {
  return store ? parseRecord(store.getItem(DRAFT_KEY + id)) : null;
}

function allRecords(store) {
  const found = [];
  if (!store) return found;
  for (let index = 0; index < store.length; index++) {
    const key = store.key(index);
    if (key && key.startsWith(DRAFT_KEY)) {
      const record = parseRecord(store.getItem(key));
      if (record) found.push({ id: key.slice(DRAFT_KEY.length), record });
    }
  }
  return found;
}

// The drafts other open tabs hold, or null when this browser cannot tell (no Web Locks).
async function heldByOpenTabs() {
  if (!navigator.locks) return null;
  try {
    const { held } = await navigator.locks.query();
    return new Set(held.map((lock) => lock.name).filter((name) => name.startsWith(LOCK_NAME)).map((name) => name.slice(LOCK_NAME.length)));
  } catch {
    return null;
  }
}

function timeElement(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return element("span", {}, "earlier");
  return element("time", { datetime: when.toISOString() }, when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" }));
}

// `onReplaced(how)` runs when this tab's answers were replaced by a stored draft's ("opened"
// from the list) or emptied ("cleared"): checks under way and findings are dropped there.
export function createDraftStorage(root, form, { onReplaced }) {
  const local = storage("localStorage");
  const session = storage("sessionStorage");
  const restored = part(root, "restored");
  const restoredText = part(root, "restored-text");
  const confirmClear = part(root, "clear-confirm");
  const clearButton = part(root, "clear");
  const fileStatus = part(root, "file-status");
  const saveState = part(root, "save-state");
  const storageProblem = part(root, "storage-problem");
  const storageText = part(root, "storage-text");
  const others = part(root, "other-drafts");
  const otherList = others.querySelector("ul");

  let id = null; // this tab's draft
  let knownRev = null; // the revision of it this tab last read or wrote
  let imports = []; // [{file, opened_at, before, notes}], the most recent last
  let releaseLock = () => Promise.resolve();
  let editedByUser = false;

  function remember(key, value) {
    try {
      if (value === null) session.removeItem(key);
      else session.setItem(key, value);
    } catch {
      // without sessionStorage a reload starts a new draft; the old one is listed
    }
  }

  // -- saving ------------------------------------------------------------------------------

  function showSaved(iso) {
    saveState.replaceChildren(...(iso ? ["Saved in this browser at ", timeElement(iso), "."] : []));
  }

  function showProblem(kind) {
    const text =
      kind === "full"
        ? "Your latest answers are not saved in this browser: its storage is full. Save your draft as a file to keep them."
        : "This browser does not let the page keep your answers (its storage is turned off). Save your draft as a file to keep them.";
    if (storageText.textContent !== text) storageText.textContent = text;
    storageProblem.hidden = false;
    saveState.textContent = kind === "full" ? "Not saved in this browser: its storage is full." : "Not saved in this browser.";
  }

  function saveFailed(kind) {
    showProblem(kind);
    if (session && !session.getItem(UNSAVED_KEY + id)) remember(UNSAVED_KEY + id, new Date().toISOString());
  }

  function isEmpty(values) {
    return Object.keys(values).length === 0 && imports.length === 0;
  }

  // Returns whether the answers are now in this browser's storage.
  function save() {
    if (!id) return false;
    if (!local) {
      saveFailed("unavailable");
      return false;
    }
    const current = readRecord(local, id);
    if (current && current.rev !== knownRev) moveToNewDraft("conflict");
    const values = form.answers();
    try {
      if (isEmpty(values)) {
        local.removeItem(DRAFT_KEY + id);
        knownRev = null;
        showSaved(null);
      } else {
        const rev = randomId();
        const savedAt = new Date().toISOString();
        local.setItem(DRAFT_KEY + id, JSON.stringify({ rev, saved_at: savedAt, values, imports }));
        knownRev = rev;
        showSaved(savedAt);
      }
    } catch (error) {
      saveFailed(isQuotaError(error) ? "full" : "unavailable");
      return false;
    }
    if (!storageProblem.hidden) {
      storageProblem.hidden = true;
      part(root, "storage-file").textContent = "";
    }
    remember(UNSAVED_KEY + id, null);
    return true;
  }

  let saveTimer = 0;
  let savePending = false;
  function saveSoon() {
    editedByUser = true;
    savePending = true;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(flush, 400);
  }
  function flush() {
    clearTimeout(saveTimer);
    if (savePending) {
      savePending = false;
      save();
    }
  }
  // Closing or reloading the page within a moment of the last keystroke must not lose it.
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });

  // -- which draft is this tab's ----------------------------------------------------------

  // Takes the draft's lock if no other tab holds it: resolves to the function that gives it
  // back (which resolves once it is given back), or null when another tab holds it.
  function claim(draftId) {
    if (!navigator.locks) return Promise.resolve(() => Promise.resolve());
    return new Promise((resolve) => {
      let release = null;
      const released = navigator.locks
        .request(LOCK_NAME + draftId, { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          return new Promise((done) => {
            release = done;
            resolve(() => {
              release();
              return released;
            });
          });
        })
        .catch(() => resolve(() => Promise.resolve()));
    });
  }

  function becomeDraft(draftId) {
    id = draftId;
    remember(TAB_KEY, id);
  }

  function say(...parts) {
    restoredText.replaceChildren(...parts);
    restored.hidden = false;
  }

  // This tab's answers go on as a new draft: the stored one belongs to another tab now.
  function moveToNewDraft(why) {
    const released = releaseLock();
    releaseLock = () => Promise.resolve();
    becomeDraft(randomId());
    knownRev = null;
    const movedTo = id;
    claim(movedTo).then((release) => {
      if (release && id === movedTo) releaseLock = release;
      else if (release) release();
    });
    say(
      why === "copy"
        ? "This tab is a copy of another tab. Its answers are now kept as a draft of their own, so that neither tab overwrites the other."
        : "This draft was also changed in another tab. So that neither tab overwrites the other, this tab's answers are now kept as a draft of their own.",
    );
    released.then(renderOthers);
  }

  // Only answers to this form's questions, as text, are put back: the stored draft may come
  // from an older version of the page. Returns how many answers were put back.
  function fillFrom(record) {
    const values = {};
    for (const [key, value] of Object.entries(record.values)) {
      if (form.byKey.has(key) && typeof value === "string") values[key] = value;
    }
    form.fill(values);
    const usable = (entry) =>
      entry && typeof entry.file === "string" && entry.before && typeof entry.before === "object" && Array.isArray(entry.notes);
    imports = Array.isArray(record.imports) ? record.imports.filter(usable) : [];
    knownRev = record.rev || null;
    showSaved(record.saved_at);
    return Object.keys(values).length;
  }

  // `kept`: the answers the tab held before are now one of the other drafts.
  function showRestored(record, how, { kept = false } = {}) {
    const clearLink = element("button", { type: "button", class: "kb-link-button" }, "Clear draft");
    clearLink.addEventListener("click", askToClear);
    const unsavedSince = session && session.getItem(UNSAVED_KEY + id);
    const parts =
      how === "opened"
        ? ["This tab now holds your draft from ", timeElement(record.saved_at), ". "]
        : ["We restored your draft from ", timeElement(record.saved_at), ". "];
    if (kept) parts.push("The answers this tab held before are listed under Other drafts. ");
    if (unsavedSince) parts.push("Changes made after that could not be saved: this browser's storage was full. ");
    say(...parts, clearLink);
  }

  function migrateOldDraft() {
    if (!local) return;
    const old = parseRecord(local.getItem(OLD_DRAFT_KEY));
    if (!old) return;
    try {
      if (!local.getItem(DRAFT_KEY + MIGRATED_ID)) {
        local.setItem(DRAFT_KEY + MIGRATED_ID, JSON.stringify({ rev: randomId(), saved_at: old.saved_at, values: old.values, imports: [] }));
      }
      local.removeItem(OLD_DRAFT_KEY);
    } catch {
      // kept in the old place; tried again on the next visit
    }
  }

  function typeOf(record) {
    return typeof record.values.issue_type === "string" ? record.values.issue_type : "";
  }

  // Which stored drafts this tab may take over: not this tab's, not empty, held by no open tab.
  async function freeDrafts() {
    const held = await heldByOpenTabs();
    return allRecords(local)
      .filter((item) => item.id !== id && (!held || !held.has(item.id)))
      .filter((item) => Object.entries(item.record.values).some(([key, value]) => form.byKey.has(key) && typeof value === "string"))
      .sort((a, b) => String(b.record.saved_at).localeCompare(String(a.record.saved_at)));
  }

  // The tab's draft, restored at once after a reload (the tab remembers it); a new tab then
  // takes over the most recent free draft of the type it was opened for. Returns a promise
  // that settles once the tab holds its draft.
  function start(wantedType) {
    migrateOldDraft();
    const remembered = session && session.getItem(TAB_KEY);
    let restoredCount = 0;
    if (remembered) {
      becomeDraft(remembered);
      const record = readRecord(local, id);
      if (record) {
        restoredCount = fillFrom(record);
        if (restoredCount) showRestored(record, "restored");
      }
    } else {
      becomeDraft(randomId());
    }
    if (!restoredCount && Object.keys(form.answers()).length > 0) {
      // Typed before this script ran (the form works without it): this tab's draft.
      editedByUser = true;
      save();
    }
    return (async () => {
      // Right after a reload, the page before it may take a moment to give the lock back.
      let release = await claim(id);
      for (let tries = 0; !release && tries < 5; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        release = await claim(id);
      }
      if (!release) {
        moveToNewDraft("copy"); // a duplicated tab remembers the same draft as its original
        if (restoredCount) save();
      } else {
        releaseLock = release;
        if (!restoredCount && !editedByUser) await takeOverFreeDraft(wantedType);
      }
      await renderOthers();
    })();
  }

  // A new tab goes on with the most recent draft no open tab holds, unless the user has
  // started typing meanwhile or the tab was opened for another type of issue.
  async function takeOverFreeDraft(wantedType) {
    for (const item of await freeDrafts()) {
      const type = typeOf(item.record);
      if (wantedType && type && type !== wantedType) continue;
      if (editedByUser) return;
      const release = await claim(item.id);
      if (!release) continue; // another new tab took it a moment ago
      if (editedByUser) {
        release();
        return;
      }
      releaseLock();
      releaseLock = release;
      becomeDraft(item.id);
      if (fillFrom(item.record)) showRestored(item.record, "restored");
      return;
    }
  }

  // -- the other drafts ---------------------------------------------------------------------

  function typeTitle(type) {
    const control = form.byKey.get("issue_type").controls.find((c) => c.value === type);
    return control ? control.labels[0].textContent : "Draft without a type of issue";
  }

  function describe(record) {
    const subject = typeof record.values.subject === "string" ? visible(record.values.subject.trim()) : "";
    const shown = subject.length > SUBJECT_SHOWN ? `${subject.slice(0, SUBJECT_SHOWN - 1)}…` : subject;
    return [`${typeTitle(typeOf(record))}: `, shown ? `“${shown}”` : "no subject yet", ", saved ", timeElement(record.saved_at), " "];
  }

  function otherItem({ id: otherId, record }) {
    // Each button names its draft for screen readers: the list has one pair per draft.
    const which = () => element("span", { class: "kb-visually-hidden" }, " this draft: ", ...describe(record));
    const open = element("button", { type: "button", class: "kb-link-button" }, "Open", which());
    const remove = element("button", { type: "button", class: "kb-link-button" }, "Delete", which());
    const actions = element("span", {}, open, " ", remove);
    const item = element("li", {}, ...describe(record), actions);
    open.addEventListener("click", () => openOther(otherId));
    remove.addEventListener("click", () => {
      const yes = element("button", { type: "button", class: "kb-link-button" }, "Yes, delete it");
      const no = element("button", { type: "button", class: "kb-link-button" }, "No, keep it");
      yes.addEventListener("click", async () => {
        if (local) local.removeItem(DRAFT_KEY + otherId);
        await renderOthers();
        (others.hidden ? part(root, "save-file") : otherList.querySelector("button")).focus();
      });
      no.addEventListener("click", () => {
        actions.replaceChildren(open, " ", remove);
        remove.focus();
      });
      actions.replaceChildren("Delete this draft for good? ", yes, " ", no);
      yes.focus();
    });
    return item;
  }

  let shownOthers = "";
  async function renderOthers() {
    const drafts = await freeDrafts();
    // Rebuilt only when what it lists changed: a keyboard user may be on one of its buttons.
    const signature = JSON.stringify(drafts.map((item) => [item.id, item.record.rev]));
    if (signature === shownOthers) return;
    shownOthers = signature;
    otherList.replaceChildren(...drafts.map(otherItem));
    others.hidden = drafts.length === 0;
  }

  async function openOther(otherId) {
    const record = readRecord(local, otherId);
    if (!record) return renderOthers();
    flush();
    const release = await claim(otherId);
    if (!release) {
      showFileStatus(fileStatus, ["That draft was just opened in another tab, so it stays there."], { error: true });
      return renderOthers();
    }
    const kept = save() && Object.keys(form.answers()).length > 0;
    await releaseLock(); // so that the list below shows the answers this tab held before
    releaseLock = release;
    becomeDraft(otherId);
    fillFrom(record);
    showRestored(record, "opened", { kept });
    onReplaced("opened");
    return renderOthers();
  }

  window.addEventListener("storage", (event) => {
    if (event.storageArea !== local || (event.key && !event.key.startsWith(DRAFT_KEY) && event.key !== OLD_DRAFT_KEY)) return;
    if (event.key === DRAFT_KEY + id && event.newValue !== null && parseRecord(event.newValue)?.rev !== knownRev) {
      moveToNewDraft("conflict");
      save();
    }
    renderOthers();
  });

  // -- clearing ------------------------------------------------------------------------------

  function askToClear() {
    confirmClear.hidden = false;
    clearButton.setAttribute("aria-expanded", "true");
    confirmClear.querySelector("p").setAttribute("tabindex", "-1");
    confirmClear.querySelector("p").focus();
  }

  function closeConfirm() {
    confirmClear.hidden = true;
    clearButton.setAttribute("aria-expanded", "false");
  }

  function clear() {
    clearTimeout(saveTimer);
    savePending = false;
    form.element.reset();
    imports = [];
    save();
    onReplaced("cleared");
    form.updateVisibility();
    closeConfirm();
    restored.hidden = true;
    showFileStatus(fileStatus, ["Your draft was cleared."]);
    form.byKey.get("issue_type").focusTarget.focus();
  }

  clearButton.addEventListener("click", () => (confirmClear.hidden ? askToClear() : closeConfirm()));
  part(root, "clear-yes").addEventListener("click", clear);
  part(root, "clear-no").addEventListener("click", () => {
    closeConfirm();
    clearButton.focus();
  });

  // -- opened files ---------------------------------------------------------------------------

  return {
    start,
    save,
    saveSoon,
    flush,
    // The answers a file replaced, kept until undone or dismissed (saved with the draft).
    recordImport(entry) {
      imports.push(entry);
      save();
    },
    currentImport() {
      return imports.length ? imports[imports.length - 1] : null;
    },
    undoImport() {
      const entry = imports.pop();
      if (!entry) return null;
      const values = {};
      for (const [key, value] of Object.entries(entry.before)) {
        if (form.byKey.has(key) && typeof value === "string" && own(entry.before, key)) values[key] = value;
      }
      form.fill(values);
      save();
      return entry;
    },
    dismissImports() {
      imports = [];
      save();
    },
  };
}
