/* Bulk award: keep the progress bar current while the job runs, and stop double submits.
   Without this script the page refreshes itself every 3 seconds (a <noscript> meta refresh). */
(function () {
  "use strict";
  // Translations: Django's JavaScript catalogue (templates/base.html loads it first) gives
  // ngettext and interpolate; without it the English text is shown.
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  // Sentences that agree with a count, by the count's field (data-count-of="awarded"): the same
  // msgids as the template's {% blocktranslate count %}, so the server's and the script's agree.
  var COUNTED = {
    awarded: function (n) {
      return ngettext("%(n)s credential issued", "%(n)s credentials issued", n);
    }
  };

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    });
  });
  // Back to this page from the browser's history: the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-once] button[type=submit]").forEach(function (button) {
      button.disabled = false; button.removeAttribute("aria-busy");
    });
  });

  var box = document.getElementById("bulk-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");

  function show(data) {
    Object.keys(data).forEach(function (key) {
      box.querySelectorAll('[data-field="' + key + '"]').forEach(function (el) {
        el.textContent = data[key] === null ? "" : data[key];
      });
    });
    box.querySelectorAll("[data-count-of]").forEach(function (el) {
      var field = el.getAttribute("data-count-of");
      var n = data[field];
      if (COUNTED[field] && typeof n === "number") {
        el.textContent = interpolate(COUNTED[field](n), { n: n }, true);
      }
    });
    bar.value = data.done;
    bar.textContent = data.percent + "%";
    var errorBox = box.querySelector('[data-field-box="error"]');
    if (errorBox) { errorBox.hidden = !data.error; }
    if (data.finished) {
      box.querySelectorAll("[data-show-when-done]").forEach(function (el) {
        el.hidden = data.status !== "done";
      });
      box.querySelectorAll("[data-hide-when-done]").forEach(function (el) { el.hidden = true; });
      if (data.status === "failed") { window.location.reload(); }
    } else if (data.stalled && !box.querySelector("[data-stalled]")) {
      window.location.reload();  // shows the Resume button
    }
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.redirected || (response.ok && !json)) {
          window.location.reload();  // signed out meanwhile: the page says what to do
          return undefined;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data === undefined) { return; }
        if (!data) { window.setTimeout(poll, 5000); return; }
        show(data);
        if (!data.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (box.querySelector("[data-hide-when-done]")) { poll(); }
})();
