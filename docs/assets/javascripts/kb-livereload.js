// Live reload for `mkdocs serve` only (added by validator/kb_build/mkdocs_hooks/livereload.py): the
// same long-poll protocol as MkDocs' own client, which the CSP blocks because MkDocs
// injects it inline. The page reloads once the server has a newer build than this page.
(function () {
  "use strict";
  var since = Number(document.currentScript.getAttribute("data-since"));
  var requestId = Date.now();
  var request, timer;

  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (parseFloat(this.responseText) > since) {
        location.reload();
      } else {
        timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", "/livereload/" + since + "/" + requestId);
    request.send();
  }

  function stop() {
    if (request) request.abort();
    if (timer) clearTimeout(timer);
    request = timer = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
