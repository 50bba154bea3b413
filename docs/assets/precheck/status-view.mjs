// The checker's status above the form: how far it has loaded, that it is ready, or why it
// could not start. The checker's state is also set as data-state on the form and the
// pre-check, where the browser tests and benchmarks/precheck_bench.py wait for it.

import { element } from "./helpers.mjs";
import { part } from "./form-fields.mjs";

function megabytes(bytes) {
  return (bytes / 1e6).toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

export function createStatusView(root, form) {
  const status = part(root, "status");
  const statusText = part(root, "status-text");
  const progressBar = part(root, "progress");
  const progressText = part(root, "progress-text");
  const meter = part(root, "meter");
  // What the worker downloads before it is ready, counted when the site was built.
  const downloadBytes = Number(root.dataset.kbDownloadBytes) || 0;

  // `waiting`: the user asked for a check that will run once the checker has loaded.
  function render(state, { waiting }) {
    form.element.dataset.state = state.status;
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
      if (waiting) text += " Your ticket will be checked as soon as it has loaded.";
      if (statusText.textContent !== text) statusText.textContent = text;
      if (!downloadBytes && state.stage === "download") progressBar.removeAttribute("value");
      else progressBar.value = Math.round((state.stage === "engine" ? 95 : 90 * share) * 10) / 10;
      progressText.textContent = downloading
        ? `${megabytes(state.loaded)} of ${megabytes(downloadBytes)} MB`
        : "";
    } else if (state.status === "ready") {
      statusText.textContent = "The check is ready. Nothing you type leaves your browser.";
    } else {
      statusText.replaceChildren(
        element("strong", {}, "The check could not start. "),
        `${state.failure} You can still fill in the form: your answers are kept in this browser. `,
        element("a", { href: "#if-the-check-cannot-start" }, "How to send a complete ticket without the check"),
        ".",
      );
    }
  }

  return {
    render,
    // The checker is ready but one check failed: said here, where the user looks for the
    // checker's state, and nothing in the form is touched.
    checkFailed(message) {
      statusText.textContent = `The check failed (${message}). Your answers have not changed.`;
    },
    focus() {
      statusText.focus();
    },
  };
}
