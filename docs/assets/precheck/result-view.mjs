// The finished ticket: its text to copy into the portal, and the portal's steps with this
// ticket's Priority and 'After Hours Support Request' answers filled in.

import { part, valueTitle } from "./form-fields.mjs";

export function createResultView(root, form) {
  const result = part(root, "result");
  const ticketText = root.querySelector("#ticket-text");
  const copyStatus = part(root, "copy-status");

  part(root, "copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(ticketText.value);
      copyStatus.textContent = "Copied. Paste it into the portal.";
    } catch {
      // No clipboard permission (or no secure context): leave the user one keystroke to go.
      ticketText.focus();
      ticketText.select();
      copyStatus.textContent = "The text is selected: press Ctrl+C (or ⌘+C on a Mac) to copy it.";
    }
  });

  function show(outcome) {
    result.hidden = !outcome.valid;
    if (!outcome.valid) return;
    // "Copied" stays true until the text changes.
    if (ticketText.value !== outcome.ticket_text) {
      ticketText.value = outcome.ticket_text;
      copyStatus.textContent = "";
    }
    part(root, "step-priority").textContent = valueTitle(form.byKey.get("priority"));
    part(root, "step-after_hours").textContent = valueTitle(form.byKey.get(form.trigger.field));
    part(root, "step-after-hours-note").hidden = !form.afterHoursAsked();
  }

  function reset() {
    result.hidden = true;
    ticketText.value = "";
  }

  return {
    show,
    reset,
    focus() {
      part(root, "result-title").focus();
    },
  };
}
