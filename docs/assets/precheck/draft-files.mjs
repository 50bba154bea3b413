// Drafts as files. "Save draft as file" downloads the JSON draft the command line checks.
// "Open a draft file" replaces the answers with the file's, lists whatever in it the form
// cannot hold (nothing is dropped silently), and offers to undo.

import { element, localNowIso } from "./helpers.mjs";
import { part } from "./form-fields.mjs";

const MAX_FILE_BYTES = 1024 * 1024;

function preview(value) {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// The draft as form answers, and [key, value, why] for each part the form cannot hold or
// would not send.
function interpret(draft, form) {
  const values = {};
  const notes = [];
  const type = draft.issue_type;
  const typeField = form.byKey.get("issue_type");
  const typeTitle = (value) => {
    const control = typeField.controls.find((c) => c.value === value);
    return control ? control.labels[0].textContent : null;
  };
  for (const [key, value] of Object.entries(draft)) {
    const field = form.byKey.get(key);
    if (!field) {
      notes.push([key, value, "is not a question in this form, so it was left out."]);
      continue;
    }
    const raw = form.toRaw(field, value);
    if (raw === null) {
      const why =
        field.widget === "yes-no"
          ? "is not true or false (a draft file stores Yes and No as true and false), so it was left out."
          : field.widget === "radios" || field.widget === "select"
            ? "is not one of the choices, so it was left out."
            : "is not text, so it was left out.";
      notes.push([key, value, why]);
      continue;
    }
    if (!form.canHold(field, raw)) {
      // A time the engine accepts always fits (offset and all); only a date that does not exist
      // or another way of writing a time ends up here.
      notes.push([key, value, "is not a real date and time written like 2026-11-20T10:15, so it was left out."]);
      continue;
    }
    values[key] = raw;
    if (field.issueType && field.issueType !== type && typeTitle(type)) {
      notes.push([key, value, `belongs to a ${typeTitle(field.issueType)}: it is kept in the form but not sent with a ${typeTitle(type)}.`]);
    }
  }
  return { values, notes };
}

// The file status line says what happened to a draft file; only a failure is shown as an error.
export function showFileStatus(fileStatus, parts, { error = false } = {}) {
  fileStatus.classList.toggle("kb-precheck__file-status--error", error);
  fileStatus.replaceChildren(...parts);
}

// `onReplaced(how)` runs once the form holds other answers: how is "opened" (a file's) or
// "undone" (those from before the file).
export function createDraftFiles(root, form, { onReplaced }) {
  const fileStatus = part(root, "file-status");
  const fileInput = part(root, "open-file");

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
  }

  function fileProblem(name, problem) {
    showFileStatus(
      fileStatus,
      [element("strong", {}, `${name} was not opened: `), `${problem} Your answers in the form have not changed.`],
      { error: true },
    );
  }

  async function openFile(file) {
    if (file.size > MAX_FILE_BYTES) {
      fileProblem(file.name, "it is larger than 1 MB, so it cannot be a ticket draft.");
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch {
      fileProblem(file.name, "it could not be read. Check that the file still exists, then open it again.");
      return;
    }
    let draft;
    try {
      draft = JSON.parse(text);
    } catch (error) {
      fileProblem(file.name, `it is not valid JSON (${error.message}).`);
      return;
    }
    if (draft === null || typeof draft !== "object" || Array.isArray(draft)) {
      const kind = draft === null ? "null" : Array.isArray(draft) ? "a list" : `a ${typeof draft}`;
      fileProblem(file.name, `it holds ${kind}, not a ticket draft such as {"issue_type": "phone"}.`);
      return;
    }
    const before = form.answers();
    const { values, notes } = interpret(draft, form);
    form.fill(values);
    onReplaced("opened");
    const undo = element("button", { type: "button", class: "kb-link-button" }, "Undo");
    undo.addEventListener("click", () => {
      form.fill(before);
      onReplaced("undone");
      showFileStatus(fileStatus, [`Your answers from before opening ${file.name} are back.`]);
    });
    const parts = [`Opened ${file.name}. `, undo];
    if (notes.length) {
      parts.push(
        element("span", {}, " Some of it could not be put in the form:"),
        element(
          "ul",
          {},
          ...notes.map(([key, value, why]) => element("li", {}, element("code", {}, key), ` ${preview(value)} ${why}`)),
        ),
      );
    }
    showFileStatus(fileStatus, parts);
  }

  part(root, "save-file").addEventListener("click", saveFile);
  part(root, "open").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const [file] = fileInput.files;
    // Cleared, so that opening the same file again is a change too.
    if (file) openFile(file).finally(() => (fileInput.value = ""));
  });
}
