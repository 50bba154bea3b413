// Opens the content tab a link points at. Material's inline version
// (partials/javascripts/content.html), moved to a file for the CSP.
(function () {
  "use strict";
  if (document.currentScript.hasAttribute("data-tabs-link")) {
    var tabs = window.__md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        if (!labels) return;
        var all = Array.from(labels.getElementsByTagName("label"));
        // The most recently chosen tab title that this set has wins.
        for (var i = 0; i < tabs.length; i++) {
          var chosen = all.find(function (label) {
            return label.innerText.trim() === tabs[i];
          });
          if (chosen) {
            document.getElementById(chosen.htmlFor).checked = true;
            return;
          }
        }
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
