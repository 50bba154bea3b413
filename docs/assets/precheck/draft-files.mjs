// Drafts as files. "Save draft as file" downloads the JSON draft the command line checks.
// "Open a draft file" reads it by the command line's rules (draft-text.mjs), replaces the
// answers with the file's, and lists every value the form cannot hold, or holds differently
// from the file, with how and why: nothing is dropped or changed silently. The answers it
// replaced are kept with the draft in this browser, so Undo still works after a reload.

import { element, localNowIso } from "./helpers.mjs";
import { part, rawValue, readCatalogue } from "./form-fields.mjs";
import { decodeDraft, fillMessage, parseDraftText, visible } from "./draft-text.mjs";

const SHOWN_CHARACTERS = 80;
const KEY_CHARACTERS = 60; // as the engine cuts an unknown key in its findings

function shorten(text, limit) {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

// A value as the file wrote it, readable and short; hidden characters are shown as escapes.
function preview(value, source) {
  if (typeof value === "number" && typeof source === "string") {
    const digits = source.replace(/^-/, "").length;
    return digits > SHOWN_CHARACTERS ? `${shorten(source, 20)} (a number of ${digits} characters)` : source;
  }
  return shorten(visible(JSON.stringify(value)), SHOWN_CHARACTERS);
}

const LINE_BREAKS = /\r\n|\r|\n/g;
const HAS_LINE_BREAK = /[\r\n]/;

// How the file's text `raw` will look once a control of this widget holds it, and why it
// differs, as the form changes it on purpose; null when it is kept exactly.
function adapt(field, raw) {
  if ((field.widget === "text" || field.widget === "tel") && HAS_LINE_BREAK.test(raw)) {
    return {
      raw: raw.replace(LINE_BREAKS, " "),
      why: "has line breaks, but this answer is one line: each line break was replaced by a space",
    };
  }
  if (field.widget === "textarea" && raw.includes("\r")) {
    return {
      raw: raw.replace(LINE_BREAKS, "\n"),
      why: "has Windows line breaks (CR LF or CR): the form keeps each as one line break (LF). The ticket text is the same",
    };
  }
  return null;
}

// The draft as form answers, and [key, shown value, what happened and why] for each part the
// form cannot hold or would not send.
function interpret(draft, sources, form) {
  const values = {};
  const notes = [];
  const adapted = new Map();
  const type = draft.issue_type;
  const typeField = form.byKey.get("issue_type");
  const typeTitle = (value) => {
    const control = typeField.controls.find((c) => c.value === value);
    return control ? control.labels[0].textContent : null;
  };
  const note = (key, value, why) => notes.push([shorten(visible(key), KEY_CHARACTERS), preview(value, sources.get(key)), why]);
  for (const [key, value] of Object.entries(draft)) {
    const field = form.byKey.get(key);
    if (!field) {
      note(key, value, "is not a question in this form, so it was left out.");
      continue;
    }
    const raw = form.toRaw(field, value);
    if (raw === null) {
      const kind = typeof value === "number" ? "a number" : value === null ? "null" : Array.isArray(value) ? "a list" : `${typeof value === "object" ? "an object" : `a ${typeof value}`}`;
      const why =
        field.widget === "yes-no"
          ? "is not true or false (a draft file stores Yes and No as true and false), so it was left out."
          : field.widget === "radios" || field.widget === "select"
            ? "is not one of the choices, so it was left out."
            : `is ${kind}, not text, so it was left out.`;
      note(key, value, why);
      continue;
    }
    if (!form.canHold(field, raw)) {
      // A time the engine accepts always fits (offset and all); only a date that does not exist
      // or another way of writing a time ends up here.
      note(key, value, "is not a real date and time written like 2026-11-20T10:15, so it was left out.");
      continue;
    }
    const change = adapt(field, raw);
    values[key] = change ? change.raw : raw;
    if (change) adapted.set(key, change);
    if (field.issueType && field.issueType !== type && typeTitle(type)) {
      note(key, value, `belongs to a ${typeTitle(field.issueType)}: it is kept in the form but not sent with a ${typeTitle(type)}.`);
    }
  }
  return { values, notes, adapted };
}

// After the form took the answers: a note for every value the form holds differently from the
// file, with the reason when the form changed it on purpose.
function checkHeld(form, draft, values, adapted, sources) {
  const notes = [];
  for (const [key, intended] of Object.entries(values)) {
    const field = form.byKey.get(key);
    const held = rawValue(field);
    const change = adapted.get(key);
    const shown = [shorten(visible(key), KEY_CHARACTERS), preview(draft[key], sources.get(key))];
    if (held === intended && change) {
      notes.push([...shown, `${change.why}: the form holds ${preview(held)}.`]);
    } else if (held !== intended) {
      notes.push([
        ...shown,
        held === ""
          ? "cannot be held by this question as it is written, so it was left out."
          : `cannot be held by this question exactly as it is written: the form holds ${preview(held)}.`,
      ]);
    }
  }
  return notes;
}

// The file status line says what happened to a draft file; only a failure is shown as an error.
export function showFileStatus(fileStatus, parts, { error = false } = {}) {
  fileStatus.classList.toggle("kb-precheck__file-status--error", error);
  fileStatus.replaceChildren(...parts);
}

// `onReplaced(how)` runs once the form holds other answers: how is "opened" (a file's) or
// "undone" (those from before the file). `drafts` keeps the answers a file replaced.
export function createDraftFiles(root, form, { onReplaced, drafts }) {
  const fileStatus = part(root, "file-status");
  const fileInput = part(root, "open-file");
  const catalogue = readCatalogue(root);
  const limits = catalogue.draft_limits;

  function saveFile() {
    const draft = form.buildDraft();
    const text = `${JSON.stringify(draft, null, 2)}\n`;
    const stamp = localNowIso().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    const link = element("a", {
      href: URL.createObjectURL(new Blob([text], { type: "application/json" })),
      download: `ticket-draft-${draft.issue_type || "untyped"}-${stamp}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    showFileStatus(fileStatus, [`Saved as ${link.download}.`]);
    return link.download;
  }

  function fileProblem(name, problem) {
    showFileStatus(
      fileStatus,
      [element("strong", {}, `${visible(name)} was not opened: `), `${problem} Your answers in the form have not changed.`],
      { error: true },
    );
  }

  // What a draft file holds: { draft, sources } or { problem } (the words for "was not opened").
  async function read(file) {
    if (file.size > limits.max_bytes) return { problem: `${fillMessage(catalogue.messages.too_large, { limit: limits.max_bytes_text })}.` };
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      return { problem: "it could not be read. Check that the file still exists, then open it again." };
    }
    const decoded = decodeDraft(bytes, catalogue.messages);
    if (decoded.problem) return { problem: `${decoded.problem}.` };
    const parsed = parseDraftText(decoded.text, limits.max_depth);
    if (parsed.problem) return parsed;
    const { draft } = parsed;
    if (draft === null || typeof draft !== "object" || Array.isArray(draft)) {
      const kind = draft === null ? "null" : Array.isArray(draft) ? "a list" : `a ${typeof draft}`;
      return { problem: `it holds ${kind}, not a ticket draft such as {"issue_type": "phone"}.` };
    }
    return parsed;
  }

  // The notice of the most recent file opened over earlier answers: Undo, Dismiss and every
  // value that was left out or changed. Shown again after a reload until undone or dismissed.
  function showImportNotice(prefix = []) {
    const entry = drafts.currentImport();
    if (!entry) {
      showFileStatus(fileStatus, prefix);
      return;
    }
    const undo = element("button", { type: "button", class: "kb-link-button" }, "Undo");
    const dismiss = element("button", { type: "button", class: "kb-link-button" }, "Dismiss");
    undo.addEventListener("click", () => {
      const undone = drafts.undoImport();
      onReplaced("undone");
      showImportNotice([`Your answers from before opening ${visible(undone.file)} are back. `]);
    });
    dismiss.addEventListener("click", () => {
      drafts.dismissImports();
      showFileStatus(fileStatus, [`You are keeping the answers from ${visible(entry.file)}.`]);
    });
    const parts = [
      ...prefix,
      `Opened ${visible(entry.file)}. `,
      undo,
      " brings back the answers it replaced (kept in this browser until you ",
      dismiss,
      " this). ",
    ];
    const notes = Array.isArray(entry.notes) ? entry.notes : [];
    if (notes.length) {
      parts.push(
        element("span", {}, "Not everything in it is in the form as written:"),
        element("ul", {}, ...notes.map(([key, value, why]) => element("li", {}, element("code", {}, String(key)), ` ${value} ${why}`))),
      );
    }
    showFileStatus(fileStatus, parts);
  }

  async function openFile(file) {
    const outcome = await read(file);
    if (outcome.problem) {
      fileProblem(file.name, outcome.problem);
      return;
    }
    const before = form.answers();
    const { values, notes, adapted } = interpret(outcome.draft, outcome.sources, form);
    form.fill(values);
    notes.push(...checkHeld(form, outcome.draft, values, adapted, outcome.sources));
    drafts.recordImport({ file: file.name, opened_at: new Date().toISOString(), before, notes });
    onReplaced("opened");
    showImportNotice();
  }

  part(root, "save-file").addEventListener("click", saveFile);
  part(root, "open").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const [file] = fileInput.files;
    // Cleared, so that opening the same file again is a change too.
    if (file) openFile(file).finally(() => (fileInput.value = ""));
  });

  return { saveFile, showImportNotice };
}
