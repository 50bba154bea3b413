// The finished ticket as the portal takes it: each part (Subject, Description, the Priority and
// 'After Hours Support Request' values to choose) with its own Copy button, all of the text
// with "Copy all", and the portal's steps with this ticket's values filled in. The parts come
// from the engine's result (ticket_parts), which the command line prints with `render --part`:
// every element marked data-kb-part="<name>" shows that part.

import { part } from "./form-fields.mjs";

const SELECT_TO_COPY = "The text is selected: press Ctrl+C (or ⌘+C on a Mac) to copy it.";

function setText(element, text) {
  if (element.matches("input, textarea")) element.value = text;
  else element.textContent = text;
}

function textOf(element) {
  return element.matches("input, textarea") ? element.value : element.textContent;
}

// Selects an element's text for the user to copy, when the clipboard is out of reach.
function selectText(element) {
  if (element.matches("input, textarea")) {
    element.focus();
    element.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

export function createResultView(root, form) {
  const result = part(root, "result");
  const ticketText = root.querySelector("#ticket-text");
  const parts = Array.from(result.querySelectorAll("[data-kb-part]"));
  const copyButtons = Array.from(result.querySelectorAll("[data-kb-copy]"));
  const statusOf = (button) => button.parentElement.querySelector("[role='status']");

  for (const button of copyButtons) {
    button.addEventListener("click", async () => {
      const target = root.querySelector(`#${CSS.escape(button.dataset.kbCopy)}`);
      for (const other of copyButtons) statusOf(other).textContent = "";
      try {
        await navigator.clipboard.writeText(textOf(target));
        statusOf(button).textContent = button.dataset.kbCopied;
      } catch {
        // No clipboard permission (or no secure context): leave the user one keystroke to go.
        selectText(target);
        statusOf(button).textContent = SELECT_TO_COPY;
      }
    });
  }

  function show(outcome) {
    result.hidden = !outcome.valid;
    if (!outcome.valid) return;
    // "Copied" stays true until the text changes.
    if (ticketText.value !== outcome.ticket_text) {
      for (const button of copyButtons) statusOf(button).textContent = "";
    }
    ticketText.value = outcome.ticket_text;
    const values = outcome.ticket_parts || {};
    for (const element of parts) {
      const name = element.dataset.kbPart;
      setText(element, Object.prototype.hasOwnProperty.call(values, name) ? values[name] : "");
    }
    part(root, "step-after-hours-note").hidden = !form.afterHoursAsked();
  }

  function reset() {
    result.hidden = true;
    ticketText.value = "";
    for (const element of parts) setText(element, "");
  }

  return {
    show,
    reset,
    focus() {
      part(root, "result-title").focus();
    },
  };
}
