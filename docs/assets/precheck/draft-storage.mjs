// The draft kept in this browser (localStorage): saved as the user types, put back with a
// note when the page is opened again, and cleared only after the user confirms.

import { debounce, element } from "./helpers.mjs";
import { part } from "./form-fields.mjs";
import { showFileStatus } from "./draft-files.mjs";

// Versioned: a later format can tell an older draft from its own.
const STORAGE_KEY = "cytrack-kb.precheck.draft.v1";
const SAVE_MS = 400;

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: drafts are then only kept as files
  }
}

// `onClear` runs first when the user clears the draft: whatever the page holds about the old
// answers (checks under way, findings) is dropped there.
export function createDraftStorage(root, form, { onClear }) {
  const restored = part(root, "restored");
  const confirmClear = part(root, "clear-confirm");
  const clearButton = part(root, "clear");
  const fileStatus = part(root, "file-status");

  function save() {
    const store = storage();
    if (!store) return;
    const values = form.answers();
    try {
      if (Object.keys(values).length === 0) store.removeItem(STORAGE_KEY);
      else store.setItem(STORAGE_KEY, JSON.stringify({ saved_at: new Date().toISOString(), values }));
    } catch {
      // Quota or privacy settings: the form still holds everything typed.
    }
  }
  const saveSoon = debounce(save, SAVE_MS);
  // Closing or reloading the page within a moment of the last keystroke must not lose it.
  window.addEventListener("pagehide", saveSoon.flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveSoon.flush();
  });

  // Only answers to this form's questions, as text, are put back: the stored draft may come
  // from an older version of the page.
  function restore() {
    const store = storage();
    let saved;
    try {
      saved = JSON.parse(store ? store.getItem(STORAGE_KEY) : "null");
    } catch {
      saved = null;
    }
    if (!saved || typeof saved.values !== "object" || saved.values === null) return;
    const values = {};
    for (const [key, value] of Object.entries(saved.values)) {
      if (form.byKey.has(key) && typeof value === "string") values[key] = value;
    }
    form.fill(values);
    const when = new Date(saved.saved_at);
    const time = Number.isNaN(when.getTime())
      ? element("span", {}, "earlier")
      : element(
          "time",
          { datetime: when.toISOString() },
          when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" }),
        );
    const clearLink = element("button", { type: "button", class: "kb-link-button" }, "Clear draft");
    clearLink.addEventListener("click", askToClear);
    part(root, "restored-text").replaceChildren("We restored your draft from ", time, ". ", clearLink);
    restored.hidden = false;
  }

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
    onClear();
    saveSoon.cancel();
    form.element.reset();
    const store = storage();
    if (store) store.removeItem(STORAGE_KEY);
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

  return { save, saveSoon, restore };
}
