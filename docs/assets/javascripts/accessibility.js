/*
 * Two things Material builds in the browser that axe-core rejects, corrected as soon as they
 * appear (on load and after every instant navigation):
 * - each code block's buttons sit in a <nav>, so a page with ten code blocks has ten unnamed
 *   navigation landmarks: the buttons are not navigation, so the landmark role goes;
 * - a wide table is wrapped in a scrolling box that a keyboard user cannot reach to scroll:
 *   the box becomes focusable (not a landmark: a page may hold many such tables).
 */
(function () {
  "use strict";
  function fix(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    root.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box) {
      box.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          fix(node.parentNode || node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  fix(document);
})();
