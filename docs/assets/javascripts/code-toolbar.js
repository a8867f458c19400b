/*
 * Material wraps the copy button of every code block in a <nav>, so a page with ten code
 * blocks has ten unnamed navigation landmarks. The buttons are not navigation: take the
 * landmark role away (the buttons keep their own names) as soon as Material adds them,
 * including after instant navigation.
 */
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          label(node.parentNode || node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  label(document);
})();
