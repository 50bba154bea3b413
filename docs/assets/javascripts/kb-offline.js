// The site offline: registers the service worker (sw.js, written by `python -m kb_build.offline`
// into built sites only, which also sets SERVICE_WORKER below) and says quietly, in the footer,
// when the site is available offline and when a newer version is ready.
//
// On a first visit the worker keeps nothing until this page asks it to: once the pre-check is
// ready or has failed (on /precheck/), otherwise when the browser is idle after the page has
// loaded, so that filling the cache never competes with the page for bandwidth.
// Under `mkdocs serve` SERVICE_WORKER stays empty: no worker, and any worker a built site left
// on this address is removed, so writers never see a cached page. Without storage (private
// modes, a full disk) registering fails and the site works as it does without this script.
(function () {
  "use strict";

  var SERVICE_WORKER = "";
  var IDLE_TIMEOUT_MS = 5000;
  var PRECHECK_WAIT_MS = 60000; // the pre-check took longer to settle than this: fill anyway

  var container = navigator.serviceWorker;
  if (!container) return;
  var script = document.currentScript;

  if (!SERVICE_WORKER) {
    container.getRegistrations().then(
      function (registrations) {
        registrations.forEach(function (registration) {
          registration.unregister();
        });
      },
      function () {}
    );
    return;
  }

  var status = null;
  function say(text, action) {
    if (!status) {
      var footer = document.querySelector(".md-footer-meta__inner") || document.body;
      status = document.createElement("p");
      status.className = "kb-offline";
      status.setAttribute("role", "status");
      footer.appendChild(status);
    }
    status.textContent = text;
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-offline__action";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function whenPageSettled(then) {
    var precheck = document.querySelector("[data-kb-precheck]");
    if (precheck) {
      var settled = document.documentElement.dataset.kbPrecheckSettled;
      if (settled === "ready" || settled === "unavailable") return then();
      var timer = setTimeout(then, PRECHECK_WAIT_MS);
      document.addEventListener(
        "kb-precheck-settled",
        function () {
          clearTimeout(timer);
          then();
        },
        { once: true }
      );
      return;
    }
    function idle() {
      if (window.requestIdleCallback) window.requestIdleCallback(then, { timeout: IDLE_TIMEOUT_MS });
      else setTimeout(then, 0);
    }
    if (document.readyState === "complete") idle();
    else window.addEventListener("load", idle, { once: true });
  }

  var reloading = false;
  function offerUpdate(waiting) {
    say("A newer version of this site is ready.", {
      label: "Reload to update",
      run: function () {
        reloading = true;
        waiting.postMessage({ type: "kb-activate" });
      },
    });
  }

  function watchForUpdates(registration) {
    if (registration.waiting && container.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", function () {
      var installing = registration.installing;
      if (!installing) return;
      installing.addEventListener("statechange", function () {
        if (installing.state === "installed" && container.controller) offerUpdate(installing);
      });
    });
  }

  container.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type !== "kb-offline" || !message.offline) return;
    if (status && status.querySelector(".kb-offline__action")) return; // the update says more
    say("This site is available offline on this device.");
  });
  container.addEventListener("controllerchange", function () {
    if (reloading) window.location.reload();
  });

  var url = new URL("../../" + SERVICE_WORKER, script.src);
  container.register(url.href, { scope: new URL("../../", script.src).pathname }).then(
    function (registration) {
      if (!registration) return; // refused without an error (blocked by policy)
      watchForUpdates(registration);
      container.ready.then(function (ready) {
        if (ready.active) ready.active.postMessage({ type: "kb-status" });
        whenPageSettled(function () {
          if (ready.active) ready.active.postMessage({ type: "kb-fill" });
        });
      });
    },
    function () {
      // No storage, or the worker cannot be fetched: the site works as without this script.
    }
  );
})();
