// What a check found, the GOV.UK way: the error summary ("There is a problem") linking to
// each field, the same message again beside the field, "Error: " before the page title, and
// warnings (which do not stop the ticket being sent) below the form. Answers are never
// touched.

import { element } from "./helpers.mjs";
import { PREFIX, part } from "./form-fields.mjs";

export function createFindingsView(root, form) {
  const summary = part(root, "error-summary");
  const summaryList = summary.querySelector(".kb-error-summary__list");
  const warnings = part(root, "warnings");
  const warningList = warnings.querySelector(".kb-precheck__warning-list");
  const baseTitle = document.title;
  let lastErrorKey = "";

  function visibleField(key) {
    const field = form.byKey.get(key);
    return field && !field.group.closest("[hidden]") ? field : null;
  }

  function clearInlineErrors() {
    for (const field of form.fields) {
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

  // A finding on a field the user can see links to it; any other is plain text.
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

  // Findings in the order of the fields on the page; those about the whole draft first.
  function domOrder(findings) {
    const position = (finding) => {
      if (finding.field == null) return -1;
      const index = form.fields.findIndex((field) => field.key === finding.field);
      return index === -1 ? form.fields.length : index;
    };
    return [...findings].sort((a, b) => position(a) - position(b));
  }

  // Returns the outcome's errors in page order.
  function show(outcome, { focus }) {
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
    return errors;
  }

  function reset() {
    clearInlineErrors();
    summary.hidden = true;
    summaryList.replaceChildren();
    lastErrorKey = "";
    warnings.hidden = true;
    document.title = baseTitle;
  }

  return {
    show,
    reset,
    focus() {
      summary.focus();
    },
  };
}
