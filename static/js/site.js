// Behaviour that templates ask for with data-* attributes (loaded by the pages that use it, via
// templates/mentoring/includes/head.html), so that no page needs an
// inline script, an on*= handler or a style attribute (the Content-Security-Policy allows none).
//   data-once                 on a submit button: disabled after the first submit of its form
//   data-select-on-focus      on a read-only field: its text is selected on click or focus
//   data-top, data-height,    on a positioned element: its top, height or width, in percent
//   data-width                (e.g. the blocks and hour marks of the week timeline)
(function () {
  "use strict";

  function place(root) {
    root.querySelectorAll("[data-top], [data-height], [data-width]").forEach(function (el) {
      ["top", "height", "width"].forEach(function (name) {
        var value = parseFloat(el.getAttribute("data-" + name));
        if (!isNaN(value)) el.style[name] = value + "%";
      });
    });
  }

  function init() {
    place(document);

    document.querySelectorAll("form button[data-once]").forEach(function (button) {
      if (!button.form) return;
      // The server also ignores a repeated idempotency key; this spares the second request.
      button.form.addEventListener("submit", function () {
        setTimeout(function () {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        }, 0);
      });
    });

    document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
      function select() { field.select(); }
      field.addEventListener("click", select);
      field.addEventListener("focus", select);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
