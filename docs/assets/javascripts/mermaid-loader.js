/*
 * Material for MkDocs draws ```mermaid diagrams with the global `mermaid` object and, when
 * there is none, fetches Mermaid from unpkg.com. This stand-in takes that global's place, so
 * no request leaves the site: on the first diagram of a visit it loads the copy of Mermaid
 * this site ships (vendor/mermaid.tiny.js, 2.5 MB), and pages without diagrams load nothing.
 * Material only calls `initialize` (once) and `render`, so those are the two it provides.
 */
(function () {
  "use strict";
  if (typeof window.mermaid !== "undefined") {
    return;
  }
  var source = new URL("vendor/mermaid.tiny.js", document.currentScript.src).href;
  var options = null;
  var ready = null;

  function load(standIn) {
    if (ready === null) {
      ready = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () {
          var mermaid = window.mermaid;
          window.mermaid = standIn;
          resolve(mermaid);
        };
        script.onerror = function () {
          reject(new Error("could not load " + source));
        };
        document.head.appendChild(script);
      }).then(function (mermaid) {
        if (options !== null) {
          // A fixed seed for the shapes' sketchy strokes makes every drawing repeatable, so
          // `make diagrams` only rewrites a file when its diagram really changed.
          mermaid.initialize(Object.assign({ handDrawnSeed: 1 }, options));
        }
        return mermaid;
      });
    }
    return ready;
  }

  var standIn = {
    initialize: function (config) {
      options = config;
    },
    render: function (id, text) {
      return load(standIn).then(function (mermaid) {
        return mermaid.render(id, text);
      }).then(function (result) {
        // `make diagrams` (scripts/render_diagrams.py) listens here to save each rendering.
        if (typeof window.__nexusCaptureDiagram === "function") {
          window.__nexusCaptured = (window.__nexusCaptured || 0) + 1;
          window.__nexusCaptureDiagram(text, result.svg);
        }
        return result;
      });
    }
  };
  window.mermaid = standIn;
})();
