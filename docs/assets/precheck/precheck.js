// Enhances the ticket pre-check form ([data-kb-precheck], generated from the schemas by
// overrides/hooks/precheck_form.py): checks drafts in the Pyodide worker, shows errors the
// GOV.UK way, keeps drafts in this browser, and saves or opens them as files.
//
// The worker starts the moment this module runs (it is loaded with `async`, so possibly
// before the page has finished parsing); the form is enhanced once the document is ready.
// Everything the user typed or opened is written with textContent or .value, never as HTML.

const WORKER_URL = new URL("./worker.mjs", import.meta.url);
const STORAGE_KEY = "cytrack-kb.precheck.draft.v1";
const PREFIX = "precheck-";
const STALL_MS = 30000; // no sign of life from the worker for this long: give up
const RECHECK_MS = 250;
const SAVE_MS = 400;
const MAX_FILE_BYTES = 1024 * 1024;

// ---------------------------------------------------------------------------------------
// The checker: a module worker, its start-up state, and requests by id.

function startChecker() {
  const listeners = new Set();
  const pending = new Map();
  const state = { status: "loading", stage: "download", loaded: 0, failure: null };
  let worker = null;
  let nextId = 1;
  let stallTimer = 0;

  const emit = () => listeners.forEach((listener) => listener(state));

  function fail(message) {
    if (state.status === "unavailable") return;
    clearTimeout(stallTimer);
    state.status = "unavailable";
    state.failure = message;
    if (worker) worker.terminate();
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
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
      if (message.error) request.reject(Object.assign(new Error(message.error.message), message.error));
      else request.resolve(JSON.parse(message.result));
    } else if (message.type === "progress" && state.status === "loading") {
      state.stage = message.stage;
      state.loaded = message.loaded;
      emit();
    } else if (message.type === "ready" && state.status === "loading") {
      state.status = "ready";
      clearTimeout(stallTimer);
      emit();
    } else if (message.type === "failed") {
      fail(message.error.message);
    }
  }

  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    state.status = "unavailable";
    state.failure = "This browser cannot run it (it needs WebAssembly and Web Workers).";
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

const checker = startChecker();

// ---------------------------------------------------------------------------------------
// Small helpers.

function localNowIso(date = new Date()) {
  const pad = (value) => String(Math.floor(Math.abs(value))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

function debounce(fn, ms) {
  let timer = 0;
  let pending = false;
  const run = () => {
    pending = false;
    fn();
  };
  const debounced = () => {
    clearTimeout(timer);
    pending = true;
    timer = setTimeout(run, ms);
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    pending = false;
  };
  debounced.flush = () => {
    clearTimeout(timer);
    if (pending) run();
  };
  return debounced;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function megabytes(bytes) {
  return (bytes / 1e6).toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

function preview(value) {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------
// The form: fields as the generated HTML describes them.

function readFields(form) {
  return Array.from(form.querySelectorAll("[data-kb-field]"), (group) => {
    const key = group.dataset.kbField;
    const typeGroup = group.closest("[data-kb-issue-type]");
    return {
      key,
      group,
      widget: group.dataset.kbWidget,
      issueType: typeGroup ? typeGroup.dataset.kbIssueType : null,
      afterHours: Boolean(group.closest("[data-kb-after-hours]")),
      controls: Array.from(group.querySelectorAll(`[name="${key}"]`)),
      // Radio groups describe and label themselves on their fieldset.
      described: group.querySelector("fieldset") || group.querySelector(`#${PREFIX}${key}`),
      focusTarget: group.querySelector(`#${PREFIX}${key}`),
    };
  });
}

function isChoice(field) {
  return field.widget === "radios" || field.widget === "yes-no";
}

function rawValue(field) {
  if (isChoice(field)) {
    const checked = field.controls.find((control) => control.checked);
    return checked ? checked.value : "";
  }
  return field.controls[0].value;
}

function setRawValue(field, value) {
  if (isChoice(field)) {
    for (const control of field.controls) control.checked = control.value === value;
  } else {
    field.controls[0].value = value;
  }
}

function choiceValues(field) {
  if (isChoice(field)) return field.controls.map((control) => control.value);
  if (field.widget === "select") return Array.from(field.controls[0].options, (o) => o.value).filter(Boolean);
  return null;
}

function valueTitle(field) {
  if (isChoice(field)) {
    const checked = field.controls.find((control) => control.checked);
    return checked ? checked.labels[0].textContent : "";
  }
  const select = field.controls[0];
  return select.selectedIndex > 0 ? select.options[select.selectedIndex].textContent : "";
}

// ---------------------------------------------------------------------------------------
// The page.

function enhance(root) {
  const form = root.querySelector("form");
  const fields = readFields(form);
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const $ = (suffix) => root.querySelector(`#${PREFIX}${suffix}`);
  const status = $("status");
  const statusText = $("status-text");
  const progressBar = $("progress");
  const progressText = $("progress-text");
  const meter = $("meter");
  const summary = $("error-summary");
  const summaryList = summary.querySelector(".kb-error-summary__list");
  const warnings = $("warnings");
  const warningList = warnings.querySelector(".kb-precheck__warning-list");
  const result = $("result");
  const ticketText = root.querySelector("#ticket-text");
  const copyStatus = $("copy-status");
  const restored = $("restored");
  const fileStatus = $("file-status");
  const confirmClear = $("clear-confirm");
  const clearButton = $("clear");
  const fileInput = $("open-file");
  const baseTitle = document.title;
  const downloadBytes = Number(root.dataset.kbDownloadBytes) || 0;

  let checkedOnce = false;
  let latestRequest = 0;
  let waitingForReady = false;
  let lastErrorKey = "";

  root.dataset.kbInitialised = "true";
  status.hidden = false;
  $("actions").hidden = false;
  $("drafts").hidden = false;

  // -- which fields apply ---------------------------------------------------------------

  function issueType() {
    return rawValue(byKey.get("issue_type"));
  }

  function afterHoursShown() {
    if (rawValue(byKey.get("after_hours")) === "yes") return true;
    return fields.some((field) => field.afterHours && rawValue(field) !== "");
  }

  function applies(field, type) {
    if (field.issueType) return field.issueType === type;
    return !field.afterHours || afterHoursShown();
  }

  function updateVisibility() {
    const type = issueType();
    for (const group of root.querySelectorAll("[data-kb-issue-type]")) {
      group.hidden = group.dataset.kbIssueType !== type;
    }
    root.querySelector("[data-kb-after-hours]").hidden = !afterHoursShown();
  }

  // -- the draft: exactly the JSON the command line validates ---------------------------

  function buildDraft() {
    const type = issueType();
    const draft = {};
    for (const field of fields) {
      if (!applies(field, type)) continue;
      const raw = rawValue(field);
      // Empty answers are left out, so the engine names each missing required field.
      if (raw === "") continue;
      draft[field.key] = field.widget === "yes-no" ? raw === "yes" : raw;
    }
    return draft;
  }

  // -- status: loading, ready, unavailable ----------------------------------------------

  function renderStatus(state) {
    form.dataset.state = state.status;
    root.dataset.state = state.status;
    status.classList.toggle("kb-precheck__status--unavailable", state.status === "unavailable");
    status.classList.toggle("kb-precheck__status--ready", state.status === "ready");
    meter.hidden = state.status !== "loading";
    if (state.status === "loading") {
      const share = downloadBytes ? Math.min(state.loaded / downloadBytes, 1) : 0;
      const downloading = state.stage === "download" && downloadBytes && share < 1;
      // The live status only changes with the stage; the byte count beside the bar is not
      // announced, or a screen reader would read it ten times a second.
      let text = "Loading the check…";
      if (state.stage === "engine") text = "Loading the ticket rules…";
      else if (!downloading) text = "Starting the check…";
      if (waitingForReady) text += " Your ticket will be checked as soon as it has loaded.";
      if (statusText.textContent !== text) statusText.textContent = text;
      if (!downloadBytes && state.stage === "download") progressBar.removeAttribute("value");
      else progressBar.value = Math.round((state.stage === "engine" ? 95 : 90 * share) * 10) / 10;
      progressText.textContent = downloading
        ? `${megabytes(state.loaded)} of ${megabytes(downloadBytes)} MB`
        : "";
    } else if (state.status === "ready") {
      statusText.textContent = "The check is ready. Nothing you type leaves your browser.";
      if (waitingForReady) {
        waitingForReady = false;
        runCheck({ focus: true });
      }
    } else {
      waitingForReady = false;
      statusText.replaceChildren(
        element("strong", {}, "The check could not start. "),
        `${state.failure} You can still fill in the form: your answers are kept in this browser. `,
        element("a", { href: "#if-the-check-cannot-start" }, "How to send a complete ticket without the check"),
        ".",
      );
    }
  }

  // -- findings ---------------------------------------------------------------------------

  function visibleField(key) {
    const field = byKey.get(key);
    return field && !field.group.closest("[hidden]") ? field : null;
  }

  function clearInlineErrors() {
    for (const field of fields) {
      field.group.classList.remove("kb-form-group--error");
      const message = field.group.querySelector(".kb-error-message");
      if (message) message.remove();
      const ids = (field.described.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter((id) => id && id !== `${PREFIX}${field.key}-error`);
      if (ids.length) field.described.setAttribute("aria-describedby", ids.join(" "));
      else field.described.removeAttribute("aria-describedby");
      for (const control of field.controls) control.removeAttribute("aria-invalid");
    }
  }

  function showInlineError(field, message) {
    const id = `${PREFIX}${field.key}-error`;
    const paragraph = element(
      "p",
      { class: "kb-error-message", id },
      element("span", { class: "kb-visually-hidden" }, "Error:"),
      ` ${message}`,
    );
    const hint = field.group.querySelector(".kb-hint");
    if (hint) hint.after(paragraph);
    else field.group.querySelector("label, legend").after(paragraph);
    field.group.classList.add("kb-form-group--error");
    const ids = (field.described.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.described.setAttribute("aria-describedby", [...ids, id].join(" "));
    for (const control of field.controls) control.setAttribute("aria-invalid", "true");
  }

  function findingItem(finding) {
    const field = finding.field == null ? null : visibleField(finding.field);
    if (!field) {
      const label = finding.field == null ? "" : `${finding.field}: `;
      return element("li", {}, `${label}${finding.message}`);
    }
    const link = element("a", { href: `#${field.focusTarget.id}` }, finding.message);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      field.focusTarget.focus({ preventScroll: true });
      (field.group.querySelector("legend") || field.group).scrollIntoView({ block: "start" });
    });
    return element("li", {}, link);
  }

  function domOrder(findings) {
    const position = (finding) => {
      if (finding.field == null) return -1;
      const index = fields.findIndex((field) => field.key === finding.field);
      return index === -1 ? fields.length : index;
    };
    return [...findings].sort((a, b) => position(a) - position(b));
  }

  function showResult(outcome, { focus }) {
    const errors = domOrder(outcome.errors);
    clearInlineErrors();
    for (const error of errors) {
      const field = error.field == null ? null : visibleField(error.field);
      if (field && !field.group.querySelector(".kb-error-message")) showInlineError(field, error.message);
    }
    // The summary is rebuilt only when its errors changed, so a screen reader is not told the
    // same list again on every keystroke.
    const errorKey = JSON.stringify(errors.map((error) => [error.field, error.message]));
    if (errorKey !== lastErrorKey || focus) {
      lastErrorKey = errorKey;
      summaryList.replaceChildren(...errors.map(findingItem));
      if (errors.length) summary.setAttribute("role", "alert");
      summary.hidden = errors.length === 0;
    }
    document.title = errors.length ? `Error: ${baseTitle}` : baseTitle;

    const notes = domOrder(outcome.warnings);
    warningList.replaceChildren(...notes.map(findingItem));
    warnings.hidden = notes.length === 0;

    result.hidden = !outcome.valid;
    if (outcome.valid) {
      if (ticketText.value !== outcome.ticket_text) {
        ticketText.value = outcome.ticket_text;
        copyStatus.textContent = "";
      }
      $("step-priority").textContent = valueTitle(byKey.get("priority"));
      $("step-after_hours").textContent = valueTitle(byKey.get("after_hours"));
      $("step-after-hours-note").hidden = rawValue(byKey.get("after_hours")) !== "yes";
    }
    if (focus) {
      if (errors.length) summary.focus();
      else if (outcome.valid) $("result-title").focus();
    }
  }

  async function runCheck({ focus }) {
    if (checker.state.status === "loading") {
      waitingForReady = true;
      renderStatus(checker.state);
      return;
    }
    if (checker.state.status !== "ready") {
      if (focus) statusText.focus();
      return;
    }
    const request = ++latestRequest;
    checkedOnce = true;
    try {
      const outcome = await checker.check(JSON.stringify(buildDraft()), localNowIso());
      if (request === latestRequest) showResult(outcome, { focus });
    } catch (error) {
      if (request === latestRequest && checker.state.status === "ready") {
        statusText.textContent = `The check failed (${error.message}). Your answers have not changed.`;
      }
    }
  }

  const recheck = debounce(() => runCheck({ focus: false }), RECHECK_MS);

  // -- drafts in this browser -------------------------------------------------------------

  function snapshot() {
    const values = {};
    for (const field of fields) {
      const raw = rawValue(field);
      if (raw !== "") values[field.key] = raw;
    }
    return values;
  }

  function fill(values) {
    for (const field of fields) setRawValue(field, Object.hasOwn(values, field.key) ? values[field.key] : "");
    updateVisibility();
  }

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null; // storage disabled: drafts are then only kept as files
    }
  }

  function saveDraft() {
    const store = storage();
    if (!store) return;
    const values = snapshot();
    try {
      if (Object.keys(values).length === 0) store.removeItem(STORAGE_KEY);
      else store.setItem(STORAGE_KEY, JSON.stringify({ saved_at: new Date().toISOString(), values }));
    } catch {
      // Quota or privacy settings: the form still holds everything typed.
    }
  }
  const saveSoon = debounce(saveDraft, SAVE_MS);
  // Closing or reloading the page within a moment of the last keystroke must not lose it.
  window.addEventListener("pagehide", saveSoon.flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveSoon.flush();
  });

  function restoreDraft() {
    const store = storage();
    let saved = null;
    try {
      saved = JSON.parse(store ? store.getItem(STORAGE_KEY) : "null");
    } catch {
      saved = null;
    }
    if (!saved || typeof saved.values !== "object" || saved.values === null) return;
    const values = {};
    for (const [key, value] of Object.entries(saved.values)) {
      if (byKey.has(key) && typeof value === "string") values[key] = value;
    }
    fill(values);
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
    $("restored-text").replaceChildren("We restored your draft from ", time, ". ", clearLink);
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

  function resetFindings() {
    clearInlineErrors();
    summary.hidden = true;
    summaryList.replaceChildren();
    lastErrorKey = "";
    warnings.hidden = true;
    result.hidden = true;
    ticketText.value = "";
    document.title = baseTitle;
  }

  function clearDraft() {
    latestRequest++;
    recheck.cancel();
    saveSoon.cancel();
    form.reset();
    checkedOnce = false;
    const store = storage();
    if (store) store.removeItem(STORAGE_KEY);
    resetFindings();
    updateVisibility();
    closeConfirm();
    restored.hidden = true;
    fileStatus.replaceChildren("Your draft was cleared.");
    byKey.get("issue_type").focusTarget.focus();
  }

  // -- drafts as files ----------------------------------------------------------------------

  function saveFile() {
    const draft = buildDraft();
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
    fileStatus.replaceChildren(`Saved as ${link.download}.`);
  }

  function fileProblem(name, problem) {
    fileStatus.replaceChildren(
      element("strong", {}, `${name} was not opened: `),
      `${problem} Your answers in the form have not changed.`,
    );
    fileStatus.classList.add("kb-precheck__file-status--error");
  }

  function interpret(draft) {
    const values = {};
    const notes = [];
    const type = draft.issue_type;
    const typeField = byKey.get("issue_type");
    const typeTitle = (value) => {
      const control = typeField.controls.find((c) => c.value === value);
      return control ? control.labels[0].textContent : null;
    };
    for (const [key, value] of Object.entries(draft)) {
      const field = byKey.get(key);
      if (!field) {
        notes.push([key, value, "is not a question in this form, so it was left out."]);
        continue;
      }
      const choices = choiceValues(field);
      let raw = null;
      if (field.widget === "yes-no") raw = value === true ? "yes" : value === false ? "no" : null;
      else if (typeof value === "string" && (!choices || choices.includes(value))) raw = value;
      if (raw === null) {
        notes.push([key, value, choices ? "is not one of the choices, so it was left out." : "is not text, so it was left out."]);
        continue;
      }
      values[key] = raw;
      if (field.issueType && field.issueType !== type && typeTitle(type)) {
        notes.push([key, value, `belongs to a ${typeTitle(field.issueType)}: it is kept in the form but not sent with a ${typeTitle(type)}.`]);
      }
    }
    return { values, notes };
  }

  async function openFile(file) {
    fileStatus.classList.remove("kb-precheck__file-status--error");
    if (file.size > MAX_FILE_BYTES) {
      fileProblem(file.name, "it is larger than 1 MB, so it cannot be a ticket draft.");
      return;
    }
    let draft;
    try {
      draft = JSON.parse(await file.text());
    } catch (error) {
      fileProblem(file.name, `it is not valid JSON (${error.message}).`);
      return;
    }
    if (draft === null || typeof draft !== "object" || Array.isArray(draft)) {
      const kind = draft === null ? "null" : Array.isArray(draft) ? "a list" : `a ${typeof draft}`;
      fileProblem(file.name, `it holds ${kind}, not a ticket draft such as {"issue_type": "phone"}.`);
      return;
    }
    const before = snapshot();
    const { values, notes } = interpret(draft);
    fill(values);
    saveDraft();
    resetFindings();
    const undo = element("button", { type: "button", class: "kb-link-button" }, "Undo");
    undo.addEventListener("click", () => {
      fill(before);
      saveDraft();
      resetFindings();
      fileStatus.replaceChildren(`Your answers from before opening ${file.name} are back.`);
      if (checkedOnce) runCheck({ focus: false });
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
    fileStatus.replaceChildren(...parts);
    runCheck({ focus: false });
  }

  // -- wiring -------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    // method="dialog" already makes a submission harmless; nothing is sent anywhere.
    event.preventDefault();
    recheck.cancel();
    runCheck({ focus: true });
  });
  const onEdit = () => {
    updateVisibility();
    saveSoon();
    if (checkedOnce) recheck();
  };
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(ticketText.value);
      copyStatus.textContent = "Copied. Paste it into the portal.";
    } catch {
      ticketText.focus();
      ticketText.select();
      copyStatus.textContent = "The text is selected: press Ctrl+C (or ⌘+C on a Mac) to copy it.";
    }
  });
  $("save-file").addEventListener("click", saveFile);
  $("open").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const [file] = fileInput.files;
    if (file) openFile(file).finally(() => (fileInput.value = ""));
  });
  clearButton.addEventListener("click", () => (confirmClear.hidden ? askToClear() : closeConfirm()));
  $("clear-yes").addEventListener("click", clearDraft);
  $("clear-no").addEventListener("click", () => {
    closeConfirm();
    clearButton.focus();
  });

  restoreDraft();
  const wanted = new URLSearchParams(window.location.search).get("type");
  if (wanted && choiceValues(byKey.get("issue_type")).includes(wanted)) {
    setRawValue(byKey.get("issue_type"), wanted);
  }
  updateVisibility();
  checker.subscribe(renderStatus);
}

function init() {
  const root = document.querySelector("[data-kb-precheck]");
  if (root && !root.dataset.kbInitialised) enhance(root);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
else init();
