// Material for MkDocs' storage helpers, moved out of an inline script so the
// Content-Security-Policy can forbid inline scripts. Same behaviour as
// material/templates/partials/javascripts/base.html; Material's bundle calls these. One
// difference: where the browser blocks site data, merely reading `localStorage` throws, and
// Material's own __md_get then stops its bundle; here nothing is remembered instead.
(function () {
  "use strict";
  var script = document.currentScript;
  window.__md_scope = new URL(script.getAttribute("data-md-scope") || ".", location);
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, char) {
      return (hash << 5) - hash + char.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    scope = scope || window.__md_scope;
    try {
      storage = storage || localStorage;
    } catch (error) {
      return null; // site data blocked: nothing was remembered
    }
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    scope = scope || window.__md_scope;
    try {
      storage = storage || localStorage;
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // Storage full or disabled: the choice is simply not remembered.
    }
  };
})();
