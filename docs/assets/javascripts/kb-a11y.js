// Accessibility fixes for markup Material's JavaScript creates (found by axe-core).
// Both fix JavaScript-only features, so nothing is lost before or without JS.
(function () {
  "use strict";

  // The search dialog needs a name: use the search field's own label.
  function nameSearch() {
    var search = document.querySelector(".md-search[role='dialog']:not([aria-label])");
    var input = search && search.querySelector(".md-search__input");
    if (search) search.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }

  // Material wraps each code block's copy button in an unnamed <nav>: many identical
  // navigation landmarks that only clutter a screen reader's landmark list.
  function demoteCodeNavs(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }

  nameSearch();
  demoteCodeNavs(document);
  // Material adds those <nav>s to the code blocks once its bundle runs, which may be after this
  // script. Only the code blocks' own children are watched, never the whole page, whose every
  // change (the pre-check's progress, search results) would otherwise wake this script.
  var blocks = document.querySelectorAll(".md-typeset pre");
  if (!blocks.length) return;
  var observer = new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      demoteCodeNavs(change.target);
    });
  });
  blocks.forEach(function (pre) {
    observer.observe(pre, { childList: true });
    if (pre.parentNode) observer.observe(pre.parentNode, { childList: true });
  });
})();
