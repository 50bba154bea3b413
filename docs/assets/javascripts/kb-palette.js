// Restores the reader's light/dark choice before the page paints. Material's
// inline version (partials/javascripts/palette.html), moved to a file for the CSP.
(function () {
  "use strict";
  var palette;
  try {
    palette = window.__md_get("__palette");
  } catch (error) {
    return; // Unreadable storage: keep the default palette.
  }
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector(
      light
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']"
    );
    if (!input) return;
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      palette.color[key] = input.getAttribute("data-md-color-" + key);
    });
  }
  Object.keys(palette.color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  });
})();
