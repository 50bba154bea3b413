// The pre-check page, enhanced: wires the form, the views and the drafts to the checker, and
// decides when the draft is checked: on "Check ticket" (or as soon as the checker has loaded,
// if it was still loading), then again after each edit, once the user has checked.

import { debounce, localNowIso } from "./helpers.mjs";
import { choiceValues, part, rawValue, readForm, setRawValue } from "./form-fields.mjs";
import { createStatusView } from "./status-view.mjs";
import { createFindingsView } from "./findings-view.mjs";
import { createResultView } from "./result-view.mjs";
import { createDraftStorage } from "./draft-storage.mjs";
import { createDraftFiles } from "./draft-files.mjs";
import { createSuggestions } from "./suggestions.mjs";

const RECHECK_MS = 250;

export function enhance(root, checker) {
  const form = readForm(root);
  root.dataset.kbInitialised = "true";
  // Hidden in the HTML: without this script they would do nothing.
  part(root, "status").hidden = false;
  part(root, "actions").hidden = false;
  part(root, "drafts").hidden = false;

  const statusView = createStatusView(root, form);
  const findings = createFindingsView(root, form);
  const result = createResultView(root, form);
  const suggestions = createSuggestions(root, form);

  let checkedOnce = false; // from then on, edits are checked as they are made
  let latestRequest = 0; // only the newest check's outcome is shown
  let waitingForReady = false; // a check was asked for while the checker was loading

  function showOutcome(outcome, { focus }) {
    const errors = findings.show(outcome, { focus });
    result.show(outcome);
    if (focus) {
      if (errors.length) findings.focus();
      else if (outcome.valid) result.focus();
    }
  }

  function resetOutcome() {
    findings.reset();
    result.reset();
  }

  async function runCheck({ focus }) {
    if (checker.state.status === "loading") {
      waitingForReady = true;
      statusView.render(checker.state, { waiting: true });
      return;
    }
    if (checker.state.status !== "ready") {
      if (focus) statusView.focus();
      return;
    }
    const request = ++latestRequest;
    checkedOnce = true;
    try {
      const outcome = await checker.check(JSON.stringify(form.buildDraft()), localNowIso());
      if (request === latestRequest) showOutcome(outcome, { focus });
    } catch (error) {
      // Once unavailable, the status already says why.
      if (request === latestRequest && checker.state.status === "ready") {
        statusView.checkFailed(error.message);
      }
    }
  }

  const recheck = debounce(() => runCheck({ focus: false }), RECHECK_MS);

  function showCheckerState(state) {
    statusView.render(state, { waiting: waitingForReady });
    if (state.status === "loading" || !waitingForReady) return;
    waitingForReady = false;
    if (state.status === "ready") runCheck({ focus: true });
  }

  const drafts = createDraftStorage(root, form, {
    onReplaced(how) {
      latestRequest++;
      recheck.cancel();
      resetOutcome();
      if (how === "cleared") {
        checkedOnce = false;
        suggestions.clear();
      } else {
        suggestions.refresh();
        if (checkedOnce) runCheck({ focus: false });
      }
    },
  });

  const files = createDraftFiles(root, form, {
    drafts,
    onReplaced(how) {
      resetOutcome();
      suggestions.refresh();
      // An opened file is checked at once; after an undo, only if the user had checked.
      if (how === "opened" || checkedOnce) runCheck({ focus: false });
    },
  });
  // Offered where a failed save is reported, in the status area, and answered there.
  part(root, "storage-save").addEventListener("click", () => {
    const name = files.saveFile();
    part(root, "storage-file").textContent = `Your browser is downloading your draft as ${name}. Keep that file: open it here later with "Open a draft file".`;
  });

  form.element.addEventListener("submit", (event) => {
    // method="dialog" already makes a submission harmless; nothing is sent anywhere.
    event.preventDefault();
    recheck.cancel();
    runCheck({ focus: true });
  });
  const onEdit = () => {
    form.updateVisibility();
    drafts.saveSoon();
    if (checkedOnce) recheck();
  };
  form.element.addEventListener("input", onEdit);
  form.element.addEventListener("change", onEdit);

  // Links from the procedures choose the issue type (?type=phone) of a new draft; a draft
  // restored in this tab keeps its own type, as the user left it.
  const wanted = new URLSearchParams(window.location.search).get("type");
  const typeField = form.byKey.get("issue_type");
  const wantedType = wanted && choiceValues(typeField).includes(wanted) ? wanted : null;
  const chooseWantedType = () => {
    if (wantedType && rawValue(typeField) === "") setRawValue(typeField, wantedType);
    form.updateVisibility();
    suggestions.refresh();
  };
  // A file opened before a reload can still be undone: its notice comes back with the draft.
  const showImportNotice = () => {
    if (drafts.currentImport()) files.showImportNotice();
  };
  const started = drafts.start(wantedType);
  chooseWantedType();
  showImportNotice();
  started.then(() => {
    chooseWantedType();
    showImportNotice();
    root.dataset.kbDrafts = "ready"; // the tab holds its draft (the browser tests wait for it)
  });
  checker.subscribe(showCheckerState);
}
